/**
 * The drills' incidents as people call them, in both languages: the host words its alerts and the
 * console its menu and the wall its DIỄN TẬP band from this one table. Pure: no Node, no DOM.
 */
import type { DrillIncident, LocalizedText } from './contract.js';

export const DRILL_INCIDENT_TITLES: Readonly<Record<DrillIncident, LocalizedText>> = {
  flood: { vi: 'Mưa lớn, ngập lụt tại Biên Hòa và Trảng Bom', en: 'Heavy rain and flooding in Biên Hòa and Trảng Bom' },
  fire: { vi: 'Cháy kho hàng tại KCN Amata', en: 'Warehouse fire at the Amata industrial park' },
  traffic: { vi: 'Tai nạn, ùn tắc trên QL1A đoạn Tam Hiệp–Amata', en: 'Crash and congestion on QL1A, Tam Hiệp–Amata' },
  pollution: { vi: 'Ô nhiễm không khí tại KCN Biên Hòa 2', en: 'Air pollution at the Biên Hòa 2 industrial park' },
  'vessel-zone': { vi: 'Tàu cá rời vùng khai thác cho phép', en: 'Fishing vessel leaving its permitted zone' },
};
