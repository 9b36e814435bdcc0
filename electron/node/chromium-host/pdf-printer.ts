/**
 * The Chromium host's PDF printer: a headless Chromium of its own prints the page from a private
 * temporary folder (--print-to-pdf), with no network and no profile left behind. One print at a
 * time and a short queue: a report is printed when a person asks for it, never in bulk.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ContractError, REPORT_PDF_MAX_BYTES } from '../../../native-bridge/contract.js';
import type { PdfPrinter } from '../../common/ports.js';
import { findChromium, OFFLINE_CHROMIUM_ARGS } from './chromium.js';

export interface PdfPrinterOptions {
  /** Chromium's path; default the one the host finds (CHROME_PATH, then the usual places), looked up at each print. */
  chromium?: () => string | null;
  timeoutMs?: number;
  /** Larger PDFs are refused: the answer must fit one WebSocket message (1 MiB) as base64. */
  maxBytes?: number;
  maxQueued?: number;
}

export function chromiumPdfPrinter(options: PdfPrinterOptions = {}): PdfPrinter {
  const { chromium = () => findChromium(), timeoutMs = 60_000, maxBytes = REPORT_PDF_MAX_BYTES, maxQueued = 4 } = options;
  let tail: Promise<unknown> = Promise.resolve();
  let queued = 0;
  return (html) => {
    if (queued >= maxQueued) return Promise.reject(new ContractError('busy', `${queued} PDF reports are already being printed; try again in a minute`));
    queued++;
    const print = tail.then(() => printOnce(html, chromium(), timeoutMs, maxBytes));
    tail = print.catch(() => undefined).finally(() => queued--);
    return print;
  };
}

async function printOnce(html: string, chromium: string | null, timeoutMs: number, maxBytes: number): Promise<Uint8Array> {
  if (!chromium) throw new ContractError('internal', 'no Chromium on this host to print the PDF with (set CHROME_PATH); the HTML report still works');
  const folder = mkdtempSync(join(tmpdir(), 'ioc-wall-pdf-'));
  try {
    const page = join(folder, 'report.html');
    const pdf = join(folder, 'report.pdf');
    writeFileSync(page, html, { mode: 0o600 });
    const args = [
      '--headless=new',
      '--disable-gpu',
      `--user-data-dir=${join(folder, 'profile')}`,
      ...OFFLINE_CHROMIUM_ARGS,
      '--no-pdf-header-footer',
      `--print-to-pdf=${pdf}`,
      pathToFileURL(page).href,
    ];
    if (process.getuid?.() === 0) args.unshift('--no-sandbox');
    await run(chromium, args, timeoutMs);
    let size: number;
    try {
      size = statSync(pdf).size;
    } catch {
      throw new ContractError('internal', 'Chromium wrote no PDF');
    }
    if (size > maxBytes) throw new ContractError('invalid', `the PDF report is ${Math.round(size / 1024)} kB, over the ${Math.round(maxBytes / 1024)} kB a console can receive; export the HTML report instead`);
    return readFileSync(pdf);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

function run(command: string, args: string[], timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < 4096) stderr += chunk.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new ContractError('internal', `Chromium could not be started to print the PDF: ${error.message}`));
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new ContractError('internal', signal === 'SIGKILL' ? `printing the PDF took over ${timeoutMs / 1000} s` : `Chromium failed to print the PDF (exit ${code ?? signal}): ${stderr.trim().split('\n').at(-1) ?? ''}`));
    });
  });
}
