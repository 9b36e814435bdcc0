/**
 * Whether WebGL renders on the CPU, from the GL vendor and renderer strings (unmasked through
 * WEBGL_debug_renderer_info where the browser allows it): SwiftShader (Chromium's own, used when
 * there is no usable GPU), Mesa's llvmpipe and softpipe, Windows' basic render driver. luma.gl's
 * own sniffing knows only SwiftShader. Pure.
 */
const SOFTWARE: readonly [RegExp, string][] = [
  [/swiftshader/i, 'swiftshader'],
  [/llvmpipe/i, 'llvmpipe'],
  [/softpipe/i, 'softpipe'],
  [/microsoft basic render/i, 'microsoft-basic-render'],
  [/software rasterizer/i, 'software-rasterizer'],
];

/** The software renderer's short name, or null for a GPU. */
export function softwareGl(vendor: string, renderer: string): string | null {
  const text = `${vendor} ${renderer}`;
  return SOFTWARE.find(([pattern]) => pattern.test(text))?.[1] ?? null;
}
