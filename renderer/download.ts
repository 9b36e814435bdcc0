/** Saves what the host produced (a report, a PDF, an export) as a file through the browser's download. */
export function saveFile(content: string | Uint8Array<ArrayBuffer>, fileName: string, type: string): number {
  const blob = new Blob([content], { type });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
  // the download has taken the blob by the next task; keep it a little for slow machines
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return blob.size;
}
