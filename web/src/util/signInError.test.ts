import { describe, expect, it } from 'vitest';
import { takeSignInError } from './signInError';

describe('takeSignInError', () => {
  it('reads the code and takes it out of the address, keeping the rest', () => {
    const replaced: string[] = [];
    const code = takeSignInError({ pathname: '/', search: '?signin_error=access_denied&room=general', hash: '#x' },
      (url) => replaced.push(url));
    expect(code).toBe('access_denied');
    expect(replaced).toEqual(['/?room=general#x']);
  });

  it('leaves an address without one alone', () => {
    const replaced: string[] = [];
    expect(takeSignInError({ pathname: '/', search: '?room=general', hash: '' }, (url) => replaced.push(url))).toBeUndefined();
    expect(replaced).toEqual([]);
  });

  it('leaves a bare path when the code was all there was', () => {
    const replaced: string[] = [];
    takeSignInError({ pathname: '/', search: '?signin_error=expired', hash: '' }, (url) => replaced.push(url));
    expect(replaced).toEqual(['/']);
  });
});
