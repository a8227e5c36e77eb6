import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { redactSecrets } from '../../src/copernica/redact.js';

describe('redactSecrets', () => {
  it('removes the listed secrets, also URL-encoded', () => {
    const out = redactSecrets('token a+b/c= and a%2Bb%2Fc%3D here', ['a+b/c=']);
    assert.equal(out, 'token [REDACTED] and [REDACTED] here');
  });

  it('removes access_token in any URL, Bearer values and JWTs even when not listed', () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjF9.c2ln';
    const text = `GET https://x/v3/identity?a=1&access_token=unknown123&b=2\nAuthorization: Bearer abc.def\nsaw ${jwt}`;
    const out = redactSecrets(text, []);
    assert.ok(!out.includes('unknown123') && !out.includes('abc.def') && !out.includes(jwt), out);
    assert.match(out, /access_token=\[REDACTED\]&b=2/);
    assert.match(out, /Bearer \[REDACTED\]/);
  });

  it('leaves ordinary text alone', () => {
    assert.equal(redactSecrets('HTTP 500: boom', ['SENTINEL']), 'HTTP 500: boom');
  });
});
