/**
 * The tamper-evident audit log over the contract: entries as the console lists them, the filters,
 * CSV export pages and the chain's verification report. Pure zod; contract.ts re-exports it.
 */
import { z } from 'zod';

export const AUDIT_LIMITS = {
  /** Entries per audit.list page. */
  pageMax: 200,
  /** Rows per audit.export page, and its CSV text at most (a page stays well inside one message). */
  exportRows: 2000,
  exportBytes: 512 * 1024,
  /** An entry's details as stored (canonical JSON); larger ones are cut and marked. */
  detailsBytes: 4096,
  actionMax: 64,
  targetMax: 256,
} as const;

export const auditActorKind = z.enum(['account', 'window', 'gateway', 'system']);
export type AuditActorKind = z.infer<typeof auditActorKind>;

/** Who did it: an account (id, the person's name then, role), a window, a gateway, or the host. */
export const auditActor = z.strictObject({ kind: auditActorKind, id: z.string(), name: z.string().nullable(), role: z.string().nullable() });
export type AuditActor = z.infer<typeof auditActor>;

export const auditEntry = z.strictObject({
  seq: z.int().min(1),
  at: z.int(),
  actor: auditActor,
  action: z.string(),
  target: z.string().nullable(),
  details: z.record(z.string(), z.unknown()).nullable(),
  hash: z.string(),
});
export type AuditEntry = z.infer<typeof auditEntry>;

/** person: an account id, as actor or as target (a failed sign-in names the account it tried); action: a prefix ("auth." or "wall.command"). */
const auditFilterFields = {
  person: z.string().min(1).max(128).optional(),
  action: z.string().min(1).max(AUDIT_LIMITS.actionMax).optional(),
  from: z.int().min(0).optional(),
  to: z.int().min(0).optional(),
};
export const auditFilter = z.strictObject(auditFilterFields);
export type AuditFilter = z.infer<typeof auditFilter>;

export const auditRequests = {
  /** Newest first; `before` is the last page's smallest seq. */
  list: z.strictObject({ ...auditFilterFields, before: z.int().min(1).optional(), limit: z.int().min(1).max(AUDIT_LIMITS.pageMax).default(50) }),
  /** Oldest first, from just after seq `after`; call again with `next` until it is null. */
  export: z.strictObject({ ...auditFilterFields, after: z.int().min(0).default(0) }),
} as const;

/** What was found wrong, at the first entry it concerns (seq and time), worded for a technician. */
export const auditProblem = z.strictObject({
  kind: z.enum(['edited', 'deleted', 'inserted', 'reordered', 'rewritten', 'truncated', 'bad-signature', 'journal-edited', 'journal-deleted', 'journal-inserted']),
  seq: z.int().min(0),
  at: z.int().nullable(),
  message: z.string(),
});
export type AuditProblem = z.infer<typeof auditProblem>;

export const auditVerifyReport = z.strictObject({
  ok: z.boolean(),
  entries: z.int().min(0),
  lastSeq: z.int().min(0),
  lastAt: z.int().nullable(),
  signedHeads: z.int().min(0),
  lastSignedSeq: z.int().min(0),
  lastSignedAt: z.int().nullable(),
  /** Entries after the last signed head: a deleted tail there could not be told. */
  unsignedEntries: z.int().min(0),
  journalRows: z.int().min(0),
  /** The key that signs the heads (SHA-256 of its public key, hex, first 16). */
  keyId: z.string().nullable(),
  /** Each kind of problem at its first entry, earliest first; empty when intact. */
  problems: z.array(auditProblem),
});
export type AuditVerifyReport = z.infer<typeof auditVerifyReport>;

export const auditResponses = {
  list: z.strictObject({ entries: z.array(auditEntry).max(AUDIT_LIMITS.pageMax), next: z.int().nullable() }),
  export: z.strictObject({ csv: z.string(), rows: z.int().min(0), next: z.int().nullable(), fileName: z.string() }),
  verify: auditVerifyReport,
} as const;

export type AuditRequests = { [K in keyof typeof auditRequests]: z.output<(typeof auditRequests)[K]> };
export type AuditResponses = { [K in keyof typeof auditResponses]: z.infer<(typeof auditResponses)[K]> };
