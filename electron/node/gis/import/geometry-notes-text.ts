/** An import's geometry notes in words, for the alert the host raises and the import CLI's output. */
import type { ImportGeometryNotes } from '../../../../native-bridge/gis-datasets.js';
import type { LocalizedText } from '../../../../native-bridge/contract.js';

/** Null when there is nothing to say. */
export function geometryNotesText(notes: ImportGeometryNotes | undefined): LocalizedText | null {
  if (!notes) return null;
  const vi: string[] = [];
  const en: string[] = [];
  if (notes.ringsClosed > 0) {
    vi.push(`đã khép ${notes.ringsClosed} vòng đa giác bị hở`);
    en.push(`closed ${notes.ringsClosed} open polygon ring${notes.ringsClosed === 1 ? '' : 's'}`);
  }
  if (notes.selfIntersecting > 0) {
    const which = notes.selfIntersectingFeatures.join(', ');
    vi.push(`${notes.selfIntersecting} đối tượng có đa giác tự cắt, nhập nguyên trạng (đối tượng số ${which})`);
    en.push(`${notes.selfIntersecting} feature${notes.selfIntersecting === 1 ? '' : 's'} with a self-intersecting polygon, imported as is (feature ${which})`);
  }
  if (notes.crossingsUnchecked > 0) {
    vi.push(`${notes.crossingsUnchecked} đa giác quá phức tạp, chưa kiểm tra tự cắt`);
    en.push(`${notes.crossingsUnchecked} polygon${notes.crossingsUnchecked === 1 ? '' : 's'} too tangled to check for self-intersection`);
  }
  return { vi: vi.join('; '), en: en.join('; ') };
}
