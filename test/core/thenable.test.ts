import { describe, expect, it } from 'vitest';
import { ignoreRejection, isThenable } from '../../packages/core/src/thenable.js';

const withThen = <T extends object>(value: T, then: unknown): T => Object.assign(value, { then });

describe('isThenable', () => {
  it.each([
    ['a Promise', Promise.resolve(1)],
    ['an object with a then method', { then: () => {} }],
    [
      'a function with a then method',
      withThen(
        () => {},
        () => {},
      ),
    ],
  ])('%s is a thenable', (_name, value) => {
    expect(isThenable(value)).toBe(true);
  });

  it.each([
    ['undefined', undefined],
    ['null', null],
    ['a string', 'then'],
    ['a number', 1],
    ['an object without then', {}],
    ['an object whose then is not callable', { then: 'yes' }],
    ['a function without then', () => {}],
    ['a function whose then is not callable', withThen(() => {}, true)],
  ])('%s is not a thenable', (_name, value) => {
    expect(isThenable(value)).toBe(false);
  });
});

describe('ignoreRejection', () => {
  it('passes values through and handles the rejection of a thenable', async () => {
    const rejected = Promise.reject(new Error('late failure'));
    expect(ignoreRejection(rejected)).toBe(rejected);
    const value = { then: 1 };
    expect(ignoreRejection(value)).toBe(value);
    // A then getter that throws is swallowed.
    const hostile = Object.defineProperty({}, 'then', {
      get() {
        throw new Error('getter');
      },
    });
    expect(ignoreRejection(hostile)).toBe(hostile);
    // Had the rejection been left unhandled, vitest would report it and fail the run.
    await new Promise((resolve) => setTimeout(resolve, 1));
  });
});
