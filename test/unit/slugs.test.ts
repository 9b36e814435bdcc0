import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { slug } from '../../native-bridge/contract.js';
import { slugFrom } from '../../native-bridge/slugs.js';

describe('slugs from Vietnamese names', () => {
  it('drops tones and marks, keeps the letters', () => {
    assert.equal(slugFrom('Ca Đêm', 'x'), 'ca-dem');
    assert.equal(slugFrom('Giám sát lũ — Sông Đồng Nai', 'x'), 'giam-sat-lu-song-dong-nai');
    assert.equal(slugFrom('Ứng phó cháy rừng 2026', 'x'), 'ung-pho-chay-rung-2026');
    // the same name typed in decomposed form (NFD) gives the same id
    assert.equal(slugFrom('Ca Đêm'.normalize('NFD'), 'x'), 'ca-dem');
  });

  it('always gives an id the contract accepts', () => {
    for (const text of ['  --Trực ban!!  ', '🙂', '', 'Đ'.repeat(100), 'a'.repeat(63) + ' b', 'Phường Tam Hiệp / Biên Hòa']) {
      const id = slugFrom(text, 'bo-cuc');
      assert.ok(slug.safeParse(id).success, `"${text}" → "${id}"`);
    }
    assert.equal(slugFrom('🙂', 'bo-cuc'), 'bo-cuc');
    assert.equal(slugFrom('a'.repeat(63) + ' b', 'x'), 'a'.repeat(63), 'cut to 64 without a trailing dash');
  });
});
