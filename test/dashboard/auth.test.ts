// The dashboard's door: the page itself opens without a token but holds no data; every API call
// and the event stream answer 401 without the town's token in the Authorization header.
import { statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ensureToken, tokenFile } from '../../src/dashboard/index.js';
import { makeDashboardTown } from './fixture.js';

describe('dashboard access', () => {
  it('refuses every API call and the event stream without the token', async () => {
    const t = await makeDashboardTown();
    for (const path of [
      '/api/town',
      '/api/events',
      '/api/board',
      '/api/costs',
      '/api/trace/x',
      '/api/trace/x/timeline?cursor=1.0',
      '/api/verify',
    ]) {
      const res = await t.app.request(path);
      expect(res.status, path).toBe(401);
      expect(res.headers.get('www-authenticate')).toContain('Bearer');
    }
    const post = await t.app.request('/api/estop', { method: 'POST' });
    expect(post.status).toBe(401);
    expect(t.town.db.prepare(`SELECT count(*) FROM ledger WHERE kind = 'town.estop'`).pluck().get()).toBe(0);
  });

  it('refuses a wrong token, a token in the query string and a token in a cookie', async () => {
    const t = await makeDashboardTown();
    const wrong = await t.app.request('/api/town', { headers: { authorization: `Bearer ${t.token}x` } });
    expect(wrong.status).toBe(401);
    expect((await t.app.request(`/api/town?token=${t.token}`)).status).toBe(401);
    expect((await t.app.request('/api/town', { headers: { cookie: `token=${t.token}` } })).status).toBe(401);
    expect((await t.api('/api/town')).status).toBe(200);
  });

  it('serves the page without the token, with no data in it and nothing loaded from elsewhere', async () => {
    const t = await makeDashboardTown();
    const res = await t.app.request('/');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<title>dashtown · Gas Town</title>');
    expect(html).not.toMatch(/https?:\/\//);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect((await t.app.request('/app.css')).status).toBe(200);
  });

  it('keeps one token per town in .gt, readable by its owner only', async () => {
    const t = await makeDashboardTown();
    expect(statSync(tokenFile(t.town.paths.gtDir)).mode & 0o777).toBe(0o600);
    expect(ensureToken(t.town.paths.gtDir)).toBe(t.token);
    expect(t.token.length).toBeGreaterThanOrEqual(40);
  });
});
