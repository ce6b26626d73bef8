import { isMap, isNode, isScalar, isSeq, type Document, type LineCounter, type Node, type Pair } from 'yaml';
import type { SpecPath } from './spec-error.ts';

export interface Position {
  line: number;
  col: number;
}

function pairAt(node: unknown, key: string | number): Pair | undefined {
  if (!isMap(node)) return undefined;
  return node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(key));
}

function childAt(node: unknown, segment: string | number): Node | undefined {
  if (isSeq(node)) {
    const item = typeof segment === 'number' ? node.items[segment] : undefined;
    return isNode(item) ? item : undefined;
  }
  const value = pairAt(node, segment)?.value;
  return isNode(value) ? value : undefined;
}

// The line and column of the YAML node at a spec path. A path that does not exist in the file (a
// missing field, a value generated from a range) resolves to its nearest existing ancestor; with
// `atKey` the last segment is a mapping key (an unknown key) and its key is located, not its value.
export function locate(
  doc: Document,
  lineCounter: LineCounter,
  path: SpecPath,
  atKey = false,
): Position | undefined {
  const walk = atKey ? path.slice(0, -1) : path;
  let node: Node | undefined = isNode(doc.contents) ? doc.contents : undefined;
  for (const segment of walk) {
    const child = childAt(node, segment);
    if (child === undefined) break;
    node = child;
  }
  if (atKey && path.length > 0 && node !== undefined) {
    const key = pairAt(node, path[path.length - 1])?.key;
    if (isNode(key)) node = key;
  }
  const offset = node?.range?.[0];
  return offset === undefined ? undefined : lineCounter.linePos(offset);
}
