import { describe, expect, it } from 'vitest';
import { numberedPlaceholder, valuesInTextOrder } from '../src/numbered-placeholder.js';

describe('numbered placeholders', () => {
  it('puts the values in the order of the placeholders in the text, whatever the order they were added in', () => {
    const [a, b, c] = [1, 2, 3].map(numberedPlaceholder);
    expect(a).toBe('?/*p1*/');
    expect(valuesInTextOrder(`SELECT ${c}, ${a} FROM t WHERE x = ${b}`, ['first', 'second', 'third'])).toEqual(['third', 'first', 'second']);
  });

  it('leaves the values of a statement with plain placeholders as they are', () => {
    expect(valuesInTextOrder('SELECT ? FROM t WHERE x = ?', ['a', 'b'])).toEqual(['a', 'b']);
  });
});
