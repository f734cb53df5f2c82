// Reference data through the API: administrators maintain districts, tag kinds, the 4+4+6 taxonomy and its
// mapping, and publish new SME size thresholds; every change is audited, refused with the field named when it would
// break what refers to it, and classifications follow.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, login } from '../support/server.mjs';
import { uscc } from '../support/uscc.mjs';

let server, admin, officer, ent;
before(async () => {
  server = await startServer({ seed: true });
  admin = await login(server.base, 'admin', server.logins.admin);
  officer = await login(server.base, 'officer_gxj', server.logins.officer_gxj);
  ent = await login(server.base, 'enterprise', server.logins.enterprise);
});
after(async () => { await server?.stop(); });

/** A new enterprise (valid code from organisation body `n`) in `district`, industry C3974. */
async function createEnterprise(n, district) {
  const res = await officer.call('POST', '/api/v1/enterprises', { uscc: uscc(n), name: `厦门参考${n}有限公司`, district, industry_code: 'C3974' });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.id;
}

async function audited(action) {
  const page = await admin.call('GET', `/api/v1/audit-logs?action=${action}&limit=100`);
  assert.equal(page.status, 200, JSON.stringify(page.body));
  return page.body.items;
}

test('administrators add, rename and remove districts while nothing refers to them', async () => {
  assert.equal((await officer.call('PUT', '/api/v1/districts/350299', { name: '火炬区' })).status, 403);
  const badCode = await admin.call('PUT', '/api/v1/districts/35A', { name: '火炬区' });
  assert.equal(badCode.status, 400);
  assert.equal(badCode.body.error.fields[0].field, 'code');
  const created = await admin.call('PUT', '/api/v1/districts/350299', { name: '火炬区', sort: 7 });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  assert.equal((await admin.call('PUT', '/api/v1/districts/350299', { name: '火炬高新区', sort: 7 })).status, 200);
  const listed = (await ent.call('GET', '/api/v1/districts')).body.items;
  assert.deepEqual(listed.at(-1), { code: '350299', name: '火炬高新区', sort: 7 });

  const id = await createEnterprise(61000001, '火炬高新区');
  assert.equal((await officer.call('GET', `/api/v1/enterprises/${id}`)).body.district, '火炬高新区');
  const rename = await admin.call('PUT', '/api/v1/districts/350299', { name: '火炬区', sort: 7 });
  assert.equal(rename.status, 409);
  assert.equal(rename.body.error.fields[0].field, 'name');
  assert.match(rename.body.error.fields[0].message, /1 条/);
  const remove = await admin.call('DELETE', '/api/v1/districts/350299');
  assert.equal(remove.status, 409);
  assert.equal(remove.body.error.fields[0].field, 'code');
  const duplicate = await admin.call('PUT', '/api/v1/districts/350298', { name: '思明区' });
  assert.equal(duplicate.body.error.fields[0].field, 'name');

  assert.equal((await admin.call('PUT', '/api/v1/districts/350297', { name: '临时区' })).status, 201);
  assert.equal((await admin.call('DELETE', '/api/v1/districts/350297')).status, 204);
  assert.ok(!(await ent.call('GET', '/api/v1/districts')).body.items.some((d) => d.code === '350297'));
  const log = await audited('district.put');
  assert.ok(log.some((e) => e.entity_id === '350299' && e.result === 'ok'));
  assert.ok(log.some((e) => e.entity_id === '350299' && e.result === 'conflict'), 'the refused rename is logged too');
});

test('a tag kind that needs its chain is checked for tags given from then on; a used kind cannot be removed', async () => {
  const kind = await admin.call('PUT', '/api/v1/tag-kinds/chain_partner', { name: '链上配套企业', needs_chain: true, sort: 11 });
  assert.equal(kind.status, 201, JSON.stringify(kind.body));
  assert.deepEqual(kind.body, { code: 'chain_partner', name: '链上配套企业', needs_chain: true, sort: 11 });
  assert.equal((await admin.call('PUT', '/api/v1/tag-kinds/Bad-Code', { name: 'x' })).body.error.fields[0].field, 'code');
  const id = ent.me.enterprise_id;
  const tag = { tag: 'chain_partner', valid_from: '2026-01-01', evidence: '厦工信〔2026〕8号' };
  const unnamed = await officer.call('POST', `/api/v1/enterprises/${id}/tags`, tag);
  assert.equal(unnamed.status, 400, JSON.stringify(unnamed.body));
  assert.equal(unnamed.body.error.fields[0].field, 'chain');
  const named = await officer.call('POST', `/api/v1/enterprises/${id}/tags`, { ...tag, chain: '平板显示', chain_node: '模组' });
  assert.ok(named.status < 300, JSON.stringify(named.body));
  const removed = await admin.call('DELETE', '/api/v1/tag-kinds/chain_partner');
  assert.equal(removed.status, 409);
  assert.equal(removed.body.error.fields[0].field, 'code');
  const kinds = (await officer.call('GET', '/api/v1/tag-kinds')).body.items;
  assert.equal(kinds.find((k) => k.code === 'chain_leader').needs_chain, true);
  assert.equal(kinds.find((k) => k.code === 'high_tech').needs_chain, false);
});

test('a new version of the SME size thresholds is checked whole, classifies enterprises again and keeps the old one', async () => {
  const current = (await ent.call('GET', '/api/v1/size-thresholds')).body;
  const industry = current.rows.find((r) => r.industry_zh === '工业');
  assert.deepEqual(industry.indicators, ['employees', 'revenue']);
  assert.deepEqual(industry.medium, { employees: 300, revenue_fen: 2_000_000_000, assets_fen: null });
  const shipped = current.version.id;
  const res = await fetch(`${server.base}/api/v1/size-thresholds/versions/${shipped}/document`, { headers: { authorization: 'Bearer ' + admin.token } });
  assert.equal(res.status, 200);
  const csv = await res.text();
  const row = '工业,Industry,B;C;D,X+Y,1000,40000,,300,2000,,20,300,';
  assert.ok(csv.includes(row), csv);

  const id = await createEnterprise(61000002, '湖里区');
  assert.equal((await officer.call('PUT', `/api/v1/enterprises/${id}/figures/2025`, { employees: 350, revenue_fen: 3_000_000_000 })).status, 200);
  assert.equal((await officer.call('GET', `/api/v1/enterprises/${id}`)).body.size_class, 'medium');

  const inverted = csv.replace(row, '工业,Industry,B;C;D,X+Y,1000,40000,,3000,2000,,20,300,');
  const refused = await admin.call('POST', '/api/v1/size-thresholds/versions', { content: inverted, note: '倒挂' });
  assert.equal(refused.status, 400);
  assert.equal(refused.body.error.fields[0].field, 'content');
  assert.match(refused.body.error.fields[0].message, /第 3 行/);
  assert.equal((await officer.call('POST', '/api/v1/size-thresholds/versions', { content: csv, note: 'x' })).status, 403);
  assert.equal((await admin.call('POST', '/api/v1/size-thresholds/versions', { content: csv })).body.error.fields[0].field, 'note');

  const stricter = csv.replace(row, '工业,Industry,B;C;D,X+Y,1000,40000,,400,2000,,20,300,');
  const published = await admin.call('POST', '/api/v1/size-thresholds/versions', { content: stricter, note: '工信部 2026 年修订' });
  assert.equal(published.status, 201, JSON.stringify(published.body));
  assert.ok(published.body.enterprises_reclassified >= 1);
  const profile = (await officer.call('GET', `/api/v1/enterprises/${id}`)).body;
  assert.equal(profile.size_class, 'small');
  assert.match(profile.size_rule, /400/);
  const versions = (await officer.call('GET', '/api/v1/size-thresholds/versions')).body.items;
  assert.deepEqual(versions.map((v) => v.note).slice(0, 2), ['工信部 2026 年修订', '工信部联企业〔2011〕300号（随系统发布）']);
  assert.equal(versions[0].created_by, admin.me.display_name);
  assert.equal((await ent.call('GET', '/api/v1/size-thresholds')).body.rows.find((r) => r.industry_zh === '工业').medium.employees, 400);
  const log = await audited('size_thresholds.publish');
  assert.equal(log.filter((e) => e.result === 'ok').length, 1);
});

test('administrators maintain the 4+4+6 taxonomy and mapping; enterprises under the prefix are re-derived', async () => {
  const id = ent.me.enterprise_id;
  const before = (await officer.call('GET', `/api/v1/enterprises/${id}`)).body;
  const put = await admin.call('PUT', `/api/v1/taxonomy-446-mapping/2025/${before.industry_code}`, { code: 'F2', note: '测试调整' });
  assert.equal(put.status, 200, JSON.stringify(put.body));
  assert.ok(put.body.enterprises_rederived >= 1);
  assert.equal((await officer.call('GET', `/api/v1/enterprises/${id}`)).body.industry_446, 'F2');
  const unknown = await admin.call('PUT', '/api/v1/taxonomy-446-mapping/2025/Z99', { code: 'F2' });
  assert.equal(unknown.body.error.fields[0].field, 'prefix');
  const renamed = await admin.call('PUT', '/api/v1/taxonomy-446/2025/F2', { tier: 'future', name: '未来网络（含算力网络）' });
  assert.equal(renamed.status, 200);
  const classes = (await officer.call('GET', '/api/v1/taxonomy-446')).body.items;
  assert.equal(classes.find((c) => c.version === '2025' && c.code === 'F2').name, '未来网络（含算力网络）');
  assert.deepEqual([...new Set(classes.map((c) => c.version))].sort(), ['2022', '2025'], 'both versions of the list');
  assert.ok(classes.some((c) => c.version === '2022' && c.code === 'F1') && !classes.some((c) => c.version === '2025' && c.code === 'F1'));
});
