/**
 * The Chromium host's PDF printer with a real Chromium: a page comes back as a PDF, and every way
 * it can fail is a clear refusal, never a hang or a crash of the host.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ContractError } from '../../native-bridge/contract.js';
import { chromiumPdfPrinter } from '../../electron/node/chromium-host/pdf-printer.js';
import { tempDir } from '../support/fixtures.js';

/** A "Chromium" that hangs whatever it is asked (a wedged print). */
const hanging = join(tempDir(), 'hanging-chromium');
writeFileSync(hanging, '#!/bin/sh\nexec sleep 30\n');
chmodSync(hanging, 0o755);

const PAGE = '<!doctype html><html lang="vi"><meta charset="utf-8"><title>Báo cáo</title><h1>Báo cáo sau sự cố: Ngập lụt</h1><p>Phường Trấn Biên</p></html>';

async function refusal(promise: Promise<unknown>, code: string, message: RegExp): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof ContractError, String(error));
    assert.equal(error.code, code);
    assert.match(error.message, message);
    return true;
  });
}

describe('chromiumPdfPrinter', () => {
  it('prints a page to a PDF', { timeout: 120_000 }, async () => {
    const pdf = Buffer.from(await chromiumPdfPrinter()(PAGE));
    assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
    assert.match(pdf.subarray(-32).toString('latin1'), /%%EOF/);
  });

  it('refuses a PDF larger than a console can receive, naming its size', { timeout: 120_000 }, async () => {
    await refusal(chromiumPdfPrinter({ maxBytes: 100 })(PAGE), 'invalid', /kB, over the 0 kB a console can receive; export the HTML report/);
  });

  it('says so when there is no Chromium, or it fails, or it hangs', { timeout: 60_000 }, async () => {
    await refusal(chromiumPdfPrinter({ chromium: () => null })(PAGE), 'internal', /no Chromium on this host/);
    await refusal(chromiumPdfPrinter({ chromium: () => '/bin/false' })(PAGE), 'internal', /failed to print the PDF \(exit 1\)/);
    await refusal(chromiumPdfPrinter({ chromium: () => '/no/such/chromium' })(PAGE), 'internal', /could not be started/);
    await refusal(chromiumPdfPrinter({ chromium: () => hanging, timeoutMs: 300 })(PAGE), 'internal', /took over 0.3 s/);
  });

  it('prints one at a time and refuses past its queue', { timeout: 60_000 }, async () => {
    const print = chromiumPdfPrinter({ chromium: () => hanging, timeoutMs: 500, maxQueued: 2 });
    const first = print(PAGE);
    const second = print(PAGE);
    await refusal(print(PAGE), 'busy', /2 PDF reports are already being printed/);
    await Promise.allSettled([first, second]);
    await refusal(print(PAGE), 'internal', /took over/); // the queue drained: accepted again
  });
});
