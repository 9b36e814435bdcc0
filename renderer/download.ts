/** Saves text the host produced (a report, an export) as a file through the browser's download. */
export function saveTextFile(text: string, fileName: string, type: string): number {
  const blob = new Blob([text], { type });
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
