/**
 * Scenario actions from the console, as the signed-in account (the host records who) and, on failure,
 * keeps the contract's error for the console to show (with what was being done) — never silent.
 */
import { ContractError, type RequestOf, type ResponseOf } from '../../../native-bridge/contract.js';
import { saveFile } from '../../download.js';
import { session } from '../../session/session.js';
import { scenariosStore } from './scenarios-store.js';

/** The methods that act (display windows are refused them; the engine records who did what). */
export type ActingMethod =
  | 'scenarios.activate'
  | 'scenarios.step'
  | 'scenarios.confirm'
  | 'scenarios.command'
  | 'scenarios.escalate'
  | 'scenarios.pause'
  | 'scenarios.resume'
  | 'scenarios.handover'
  | 'scenarios.close'
  | 'scenarios.keep'
  | 'scenarios.dismiss';

type WithoutOperator<M extends ActingMethod> = Omit<RequestOf<M>, 'operator'>;

export function reportError(error: unknown, action: string): void {
  const code = error instanceof ContractError ? error.code : 'internal';
  const message = error instanceof Error ? error.message : String(error);
  scenariosStore.setState({ error: { code, message, action, at: Date.now() } });
}

export function clearError(): void {
  scenariosStore.setState({ error: null });
}

/**
 * Calls an acting method as the duty person. Without a name nothing is sent: the two-person rule
 * would otherwise compare the shared 'console' actor with itself.
 */
export async function act<M extends ActingMethod>(method: M, request: WithoutOperator<M>, action: string): Promise<ResponseOf<M> | null> {
  // the person acting is the signed-in session's: the host records the account, not a typed name
  try {
    const response = await session().client.call(method, request as RequestOf<M>);
    clearError();
    return response;
  } catch (error) {
    reportError(error, action);
    return null;
  }
}

/** Saves the run's after-action report through the browser's download: self-contained HTML, or the host's print of it as PDF. */
export async function exportReport(runId: string, format: 'html' | 'pdf', action: string): Promise<{ fileName: string; bytes: number } | null> {
  try {
    let saved: { fileName: string; bytes: number };
    if (format === 'pdf') {
      const { pdf, fileName } = await session().client.call('scenarios.reportPdf', { runId });
      saved = { fileName, bytes: saveFile(Uint8Array.from(atob(pdf), (c) => c.charCodeAt(0)), fileName, 'application/pdf') };
    } else {
      const { html, fileName } = await session().client.call('scenarios.report', { runId });
      saved = { fileName, bytes: saveFile(html, fileName, 'text/html;charset=utf-8') };
    }
    clearError();
    return saved;
  } catch (error) {
    reportError(error, action);
    return null;
  }
}
