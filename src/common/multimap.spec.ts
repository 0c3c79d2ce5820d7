import { appendTo } from './multimap';

describe('appendTo', () => {
  it('groups values under their key in arrival order, reusing the list it created', () => {
    const groups = new Map<string, number[]>();
    for (const [key, value] of [
      ['a', 1],
      ['b', 2],
      ['a', 3],
    ] as const)
      appendTo(groups, key, value);
    expect([...groups]).toEqual([
      ['a', [1, 3]],
      ['b', [2]],
    ]);
  });
});
