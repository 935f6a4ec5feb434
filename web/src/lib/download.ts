// Saves text the page made (a settings file) through the browser's download, in every browser:
// Firefox needs the link in the document to follow a click on it.
export function downloadText(text: string, fileName: string, mimeType: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: mimeType }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  // Revoked later: revoking at once can cancel the download before it starts.
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
}
