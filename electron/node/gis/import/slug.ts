/** Vietnamese text to ASCII: diacritics dropped and đ/Đ to d/D (NFD does not decompose đ). */
export function foldVietnamese(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{Mn}/gu, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D');
}

/** A dataset name from a file name: "Ranh giới xã (2025).shp" → "ranh-gioi-xa-2025". */
export function datasetNameFromFile(baseName: string): string {
  const slug = foldVietnamese(baseName.replace(/\.[^.]+$/, ''))
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '-')
    .replace(/^[-_]+|-+$/g, '')
    .slice(0, 64)
    .replace(/-+$/, '');
  return slug || 'dataset';
}
