/**
 * The Electron shell's PDF printer (electron/common/ports.ts PdfPrinter): an offscreen window with
 * no scripts, no network and no Node loads the report from a data URL and prints it. Thin on
 * purpose: Electron cannot run in the test environment; the Chromium host's printer
 * (chromium-host/pdf-printer.ts) is the one the tests drive, and the size limit is the same.
 */
import { BrowserWindow } from 'electron';
import { ContractError, REPORT_PDF_MAX_BYTES } from '../../native-bridge/contract.js';
import type { PdfPrinter } from '../common/ports.js';

export const electronPdfPrinter: PdfPrinter = async (html) => {
  const window = new BrowserWindow({ show: false, webPreferences: { javascript: false, sandbox: true, nodeIntegration: false, contextIsolation: true } });
  try {
    await window.loadURL(`data:text/html;charset=utf-8;base64,${Buffer.from(html).toString('base64')}`);
    const pdf = await window.webContents.printToPDF({ pageSize: 'A4', printBackground: true });
    if (pdf.length > REPORT_PDF_MAX_BYTES) throw new ContractError('invalid', `the PDF report is ${Math.round(pdf.length / 1024)} kB, over the ${Math.round(REPORT_PDF_MAX_BYTES / 1024)} kB a console can receive; export the HTML report instead`);
    return pdf;
  } finally {
    window.destroy();
  }
};
