// A sign-in through an OpenID Connect provider that failed comes back as /?signin_error=code
// (docs/api.md). The app reads the code once and takes it out of the address, so that a reload
// or a bookmark does not show the error again.

const PARAM = 'signin_error';

/** The `signin_error` of the address, removed from it with `replace`; undefined when there is none. */
export function takeSignInError(location: { search: string; pathname: string; hash: string },
  replace: (url: string) => void): string | undefined {
  const params = new URLSearchParams(location.search);
  const code = params.get(PARAM);
  if (code === null) return undefined;
  params.delete(PARAM);
  const rest = params.toString();
  replace(location.pathname + (rest ? `?${rest}` : '') + location.hash);
  return code;
}
