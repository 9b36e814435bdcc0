/**
 * Accounts and sign-in over the contract: roles, the actor a connection acts as, accounts as an
 * administrator sees them, and the auth.* / accounts.* requests. Pure zod; contract.ts re-exports
 * it (and must stay the only importer of contract-level names here, so no import of contract.ts).
 */
import { z } from 'zod';

/** People's roles (accounts) and the two that are no person: an enrolled wall window and the host itself. */
export const personRole = z.enum(['viewer', 'operator', 'commander', 'technician', 'administrator']);
export type PersonRole = z.infer<typeof personRole>;
export const role = z.enum([...personRole.options, 'display', 'system']);
export type Role = z.infer<typeof role>;

/** Who acts: an account (id = its id, name = the person's full name), a window or the host. */
export const actor = z.strictObject({ id: z.string().min(1).max(128), role, name: z.string().min(1).max(128).optional() });
export type Actor = z.infer<typeof actor>;

export const AUTH_LIMITS = {
  usernameMax: 64,
  passwordMin: 12,
  passwordMax: 256,
  fullNameMax: 128,
  communesMax: 200,
  sessionsPerAccount: 8,
} as const;

export const username = z
  .string()
  .min(3)
  .max(AUTH_LIMITS.usernameMax)
  .regex(/^[a-z0-9][a-z0-9._-]*$/, 'a username is lower-case letters, digits, ".", "-" or "_"')
  // an account's id is its username: it must not read as a window or the host in the journal
  .refine((name) => name !== 'console' && name !== 'system' && !/^r\d+c\d+$/.test(name), 'this username is reserved for a window or the host');
export const password = z.string().min(AUTH_LIMITS.passwordMin, `a password has at least ${AUTH_LIMITS.passwordMin} characters`).max(AUTH_LIMITS.passwordMax);
/** A password as typed at sign-in: no minimum (a short one is simply wrong), the same maximum. */
const typedPassword = z.string().min(1).max(AUTH_LIMITS.passwordMax);
export const fullName = z.string().trim().min(1).max(AUTH_LIMITS.fullNameMax);
/** A TOTP code (6 digits) or a recovery code (XXXXX-XXXXX). */
export const secondFactor = z.string().min(6).max(32);
/** A session token: 256 random bits, hex. */
export const sessionToken = z.string().regex(/^[0-9a-f]{64}$/, 'a session token is 64 hex digits');

/** The whole province, or these communes (by the name the field and GIS give them). */
export const scope = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('province') }),
  z.strictObject({ kind: z.literal('communes'), communes: z.array(z.string().min(1).max(200)).min(1).max(AUTH_LIMITS.communesMax) }),
]);
export type Scope = z.infer<typeof scope>;

export const accountSummary = z.strictObject({
  id: z.string(),
  username,
  fullName,
  role: personRole,
  scope,
  disabled: z.boolean(),
  totpEnrolled: z.boolean(),
  createdAt: z.int(),
  changedAt: z.int(),
});
export type AccountSummary = z.infer<typeof accountSummary>;

/** The signed-in person as the console shows them. */
export const signedInPerson = z.strictObject({ id: z.string(), username, fullName, role: personRole, scope });
export type SignedInPerson = z.infer<typeof signedInPerson>;

export const authStatus = z.strictObject({
  /** No account exists: the first administrator is created with auth.setup and the host's setup code. */
  setupNeeded: z.boolean(),
  person: signedInPerson.nullable(),
  /** The password was right; the account must enrol TOTP (auth.enrolTotp, auth.confirmTotp) before it gets a session. */
  enrolmentNeeded: z.boolean(),
});
export type AuthStatus = z.infer<typeof authStatus>;

/** A session handed to the console: keep the token (sessionStorage) and present it in session.hello. */
const signedIn = z.strictObject({ state: z.literal('signed-in'), token: sessionToken, person: signedInPerson, expiresAt: z.int() });

export const signInResponse = z.discriminatedUnion('state', [
  signedIn,
  /** Ask the person for their TOTP (or a recovery) code, then call auth.signIn again with it. */
  z.strictObject({ state: z.literal('second-factor-needed') }),
  /** The account must enrol TOTP first: auth.enrolTotp, then auth.confirmTotp on this connection. */
  z.strictObject({ state: z.literal('enrolment-needed') }),
]);
export type SignInResponse = z.infer<typeof signInResponse>;

const accountFields = { username, fullName, role: personRole, scope: scope.default({ kind: 'province' }) };

export const authRequests = {
  setup: z.strictObject({ setupCode: z.string().min(1).max(64), username, fullName, password }),
  signIn: z.strictObject({ username: z.string().min(1).max(AUTH_LIMITS.usernameMax), password: typedPassword, code: secondFactor.optional() }),
  confirmTotp: z.strictObject({ code: z.string().regex(/^\d{6}$/, 'a TOTP code is 6 digits') }),
  create: z.strictObject({ ...accountFields, password }),
  update: z.strictObject({ id: z.string().min(1).max(64), fullName: fullName.optional(), role: personRole.optional(), scope: scope.optional() }),
  resetPassword: z.strictObject({ id: z.string().min(1).max(64), password }),
  disable: z.strictObject({ id: z.string().min(1).max(64), disabled: z.boolean().default(true) }),
} as const;

export const authResponses = {
  signedIn,
  enrolment: z.strictObject({ secret: z.string(), uri: z.string() }),
  /** Shown once: the recovery codes are stored hashed. */
  confirmed: signedIn.extend({ recoveryCodes: z.array(z.string()).length(10) }),
} as const;

/** Why a signed-in connection stopped being one (auth.ended). */
export const authEndedEvent = z.strictObject({ reason: z.enum(['expired', 'signed-out', 'account-changed']) });
