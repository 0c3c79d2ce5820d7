/** Appends value to the list under key, creating it: grouping rows costs O(n), where `[...old, x]` per row was O(n^2). */
export function appendTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
