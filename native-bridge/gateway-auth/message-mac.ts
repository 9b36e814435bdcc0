/**
 * Binds every gateway → host message to the gateway's CURVE key (docs/gateway-protocol.md §2, §3).
 *
 * CURVE authenticates a connection, but zeromq.js never tells the host which key sent a given
 * message, so a key on the allow-list could otherwise speak for any gateway id. Each message
 * therefore carries a third frame: HMAC-SHA256 over the kind and the body, keyed with a secret
 * only the gateway's key pair and the host's key pair can derive (X25519 of one side's secret key
 * with the other side's public key — the same Curve25519 keys CURVE uses — through HKDF). The host
 * checks the MAC against the keys registered for the id the message claims; another gateway's key
 * cannot produce it. Shared by the host (electron/node/gateway) and the simulated gateways (sim/).
 */
import { createHash, createHmac, createPrivateKey, createPublicKey, diffieHellman, hkdfSync, timingSafeEqual } from 'node:crypto';

/** Bytes of the MAC frame. */
export const MESSAGE_MAC_BYTES = 32;
const HKDF_INFO = 'ioc-wall gateway message MAC v1';

const Z85 = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#';
const Z85_VALUES = new Map([...Z85].map((c, i) => [c, i]));

/** Z85 encoding (ZeroMQ RFC 32) of bytes whose length is a multiple of 4. */
export function z85Encode(bytes: Uint8Array): string {
  if (bytes.length % 4 !== 0) throw new Error('z85: length must be a multiple of 4');
  let out = '';
  for (let i = 0; i < bytes.length; i += 4) {
    let value = ((bytes[i]! << 24) >>> 0) + (bytes[i + 1]! << 16) + (bytes[i + 2]! << 8) + bytes[i + 3]!;
    const chunk: string[] = [];
    for (let j = 0; j < 5; j++) {
      chunk.unshift(Z85[value % 85]!);
      value = Math.floor(value / 85);
    }
    out += chunk.join('');
  }
  return out;
}

/** The bytes of Z85 text whose length is a multiple of 5. */
export function z85Decode(text: string): Buffer {
  if (text.length % 5 !== 0) throw new Error('z85: length must be a multiple of 5');
  const out = Buffer.alloc((text.length / 5) * 4);
  for (let i = 0; i < text.length; i += 5) {
    let value = 0;
    for (let j = 0; j < 5; j++) {
      const digit = Z85_VALUES.get(text[i + j]!);
      if (digit === undefined) throw new Error('z85: not a Z85 character');
      value = value * 85 + digit;
    }
    if (value > 0xffffffff) throw new Error('z85: value out of range');
    out.writeUInt32BE(value, (i / 5) * 4);
  }
  return out;
}

const base64url = (z85: string) => z85Decode(z85).toString('base64url');

/**
 * The MAC key shared by `own` (a key pair, Z85) and the holder of `peerPublicKey`: the same on
 * both ends (the gateway with the host's public key, the host with the gateway's).
 */
export function messageMacKey(own: { publicKey: string; secretKey: string }, peerPublicKey: string): Buffer {
  const privateKey = createPrivateKey({ key: { kty: 'OKP', crv: 'X25519', d: base64url(own.secretKey), x: base64url(own.publicKey) }, format: 'jwk' });
  const publicKey = createPublicKey({ key: { kty: 'OKP', crv: 'X25519', x: base64url(peerPublicKey) }, format: 'jwk' });
  const shared = diffieHellman({ privateKey, publicKey });
  return Buffer.from(hkdfSync('sha256', shared, Buffer.alloc(0), HKDF_INFO, 32));
}

/** HMAC-SHA256 over the kind frame, a zero byte, and the body frame. */
export function messageMac(key: Buffer, kind: string | Uint8Array, body: string | Uint8Array): Buffer {
  return createHmac('sha256', key).update(kind).update(Buffer.of(0)).update(body).digest();
}

/** The [kind, body] of a gateway's [kind, body, MAC] message; throws when the frames are not that shape. */
export function unsigned<F extends Uint8Array>(frames: readonly F[]): [F, F] {
  if (frames.length !== 3) throw new Error(`expected 3 frames (kind, body, MAC), got ${frames.length}`);
  if (frames[2]!.length !== MESSAGE_MAC_BYTES) throw new Error(`the MAC frame must be ${MESSAGE_MAC_BYTES} bytes, got ${frames[2]!.length}`);
  return [frames[0]!, frames[1]!];
}

/** True when `mac` was made with one of `keys` (current and next key during a rotation). */
export function macMatches(keys: readonly Buffer[], kind: Uint8Array, body: Uint8Array, mac: Uint8Array): boolean {
  if (mac.length !== MESSAGE_MAC_BYTES) return false;
  return keys.some((key) => timingSafeEqual(messageMac(key, kind, body), mac));
}

/** How a key is shown to people: "SHA256:" and the unpadded base64 of the SHA-256 of its 32 bytes (as ssh shows keys). */
export function keyFingerprint(publicKey: string): string {
  return `SHA256:${createHash('sha256').update(z85Decode(publicKey)).digest('base64').replace(/=+$/, '')}`;
}
