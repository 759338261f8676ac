import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createEmsSimulator } from '../simulators/ems/server';
import { matterNamed } from '../simulators/gov/catalogue';
import { createGovSimulator } from '../simulators/gov/server';
import { createEmsClient } from '../src/integrations/ems/client';
import { createGovClient } from '../src/integrations/gov/client';
import { EMS, GOV } from './helpers';

const dir = mkdtempSync(path.join(tmpdir(), 'zyt-sim-state-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('simulators keep their state across a restart (the demo under DATA_DIR)', () => {
  it('EMS: an order made before the restart is the same order after it', async () => {
    const stateFile = path.join(dir, 'simulators', 'ems.json');
    const start = async () => {
      const sim = createEmsSimulator({ ...EMS, stateFile });
      const url = await sim.listen({ host: '127.0.0.1', port: 0 });
      return { sim, url, ems: createEmsClient({ apiBase: url, ...EMS, timeoutMs: 5000 }) };
    };
    const logisticsOrderNo = `ZYT${randomBytes(6).toString('hex')}`;
    const party = {
      name: '黄埔邮政支局',
      mobile: '13800138000',
      prov: '广东省',
      city: '广州市',
      county: '黄埔区',
      address: '大沙地东路1号',
    };
    const order = {
      logisticsOrderNo,
      ecommerceUserId: 'user-1',
      weight: 300,
      pickupType: '1' as const,
      pickupPreBeginTime: new Date(),
      pickupPreEndTime: new Date(Date.now() + 2 * 3_600_000),
      sender: party,
      receiver: { ...party, name: '黄埔区政务服务中心' },
      cargos: [{ cargoName: '申请材料', cargoQuantity: 1 }],
    };

    const first = await start();
    const made = await first.ems.createOrder(order);
    await first.sim.close();

    const second = await start();
    try {
      // The repeated order number finds the order: same waybill, not a new one.
      expect(await second.ems.createOrder(order)).toEqual(made);
      const listed = (await (await fetch(`${second.url}/sim/orders`)).json()) as {
        orders: { logisticsOrderNo: string; waybillNo: string; createCalls: number }[];
      };
      expect(listed.orders).toEqual([
        expect.objectContaining({ logisticsOrderNo, waybillNo: made.waybillNo, createCalls: 2 }),
      ]);
    } finally {
      await second.sim.close();
    }
  });

  it('government platform: a case submitted before the restart is still there after it', async () => {
    const stateFile = path.join(dir, 'simulators', 'gov.json');
    const start = async () => {
      const sim = createGovSimulator({ ...GOV, stateFile });
      const url = await sim.listen({ host: '127.0.0.1', port: 0 });
      return { sim, gov: createGovClient({ apiBase: url, ...GOV, timeoutMs: 5000 }) };
    };
    const matter = matterNamed('失业保险金申领');
    const submission = {
      ourId: `bk-${randomBytes(4).toString('hex')}`,
      serviceCode: matter.serviceCode,
      serviceVersion: matter.serviceVersion,
      projectName: `张三申请${matter.name}`,
      applyType: 0 as const,
      applicant: {
        name: '张三',
        cardType: '111' as const,
        cardNumber: '440112199003070017',
        mobile: '13800138000',
        address: '广州市黄埔区大沙地东路1号',
      },
      acceptList: matter.materials.map((mt) => ({
        materialId: mt.id,
        name: mt.name,
        form: mt.form,
        count: mt.count,
        provided: true,
      })),
      busMode: '01' as const,
      infoType: matter.infoType,
    };

    const first = await start();
    const { projId } = await first.gov.submitCase(submission);
    await first.sim.close();

    const second = await start();
    try {
      expect(await second.gov.getCase(projId)).toMatchObject({ projId, ourId: submission.ourId });
      // Submitting again (a retried job) finds the same case.
      expect((await second.gov.submitCase(submission)).projId).toBe(projId);
    } finally {
      await second.sim.close();
    }
  });
});
