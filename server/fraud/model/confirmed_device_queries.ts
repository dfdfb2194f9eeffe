/**
 * The sale path's side of "device of confirmed fraud" (`confirmed_device.ts`): the devices of the sales the
 * shop confirmed as fraud in the window, and the rule's record on the shop's labeled sales, read from SQL.
 *
 * Both change only when a sale is labeled (`transaction.updated` with a label, from any instance) or history is
 * imported, so each instance keeps them per pool: a sale looks its device up in memory (no query on the sale
 * path), an event drops them, and they are read again after `CONFIRMED_DEVICES_RECHECK_MS` whatever happened
 * (an import publishes nothing). Labels are few beside sales: both reads go through the label index.
 */
import type { Sql } from "../../db/mod.ts";
import type { EventBus } from "../../events/bus.ts";
import {
  CONFIRMED_DEVICE_WINDOW_MS,
  confirmedDeviceCounts,
  type ConfirmedDeviceRecord,
  ConfirmedFraudDevices,
} from "./confirmed_device.ts";
import { DAY_MS } from "./operating_point.ts";
import { timedLoadCache } from "../../shared/timed_load_cache.ts";

/** What a sale reads: the shop's devices of confirmed fraud, and whether the rule counts in the shop. */
export interface ConfirmedDevicesInForce {
  devices: ConfirmedFraudDevices;
  record: ConfirmedDeviceRecord;
  counts: boolean;
}

/** How far back the rule's record reads the shop's labeled sales. */
const RECORD_WINDOW_DAYS = 365;

/** Reads the devices of sales confirmed fraud by `now` (within the window) and the rule's record. */
export async function readConfirmedDevices(sql: Sql, now: Date): Promise<ConfirmedDevicesInForce> {
  const from = new Date(now.getTime() - CONFIRMED_DEVICE_WINDOW_MS);
  const [rows, [record]] = await Promise.all([
    sql<{ device_id: string; latest: Date; order_ref: string }[]>`
      select distinct on (device_id) device_id, created_at as latest, order_ref
      from transactions
      where fraud_label = 'fraud' and device_id is not null and labeled_at <= ${now}
        and created_at >= ${from}
      order by device_id, created_at desc`,
    // each labeled sale against the labels known before it: would the rule have fired, and was it fraud?
    sql<[{ firings: string; fraud: string }]>`
      select count(*) as firings, count(*) filter (where s.fraud_label = 'fraud') as fraud
      from transactions s
      where s.fraud_label is not null and s.device_id is not null
        and s.created_at >= ${new Date(now.getTime() - RECORD_WINDOW_DAYS * DAY_MS)}
        and exists (
          select 1 from transactions f
          where f.device_id = s.device_id and f.fraud_label = 'fraud' and f.id <> s.id
            and f.created_at < s.created_at
            and f.created_at >= s.created_at - make_interval(secs => ${CONFIRMED_DEVICE_WINDOW_MS / 1000})
            and f.labeled_at < s.created_at)`,
  ]);
  const devices = new ConfirmedFraudDevices();
  for (const row of rows) devices.confirm(row.device_id, row.latest.getTime(), row.order_ref);
  const counted = { firings: Number(record.firings), fraud: Number(record.fraud) };
  return { devices, record: counted, counts: confirmedDeviceCounts(counted) };
}

/** Kept this long, the devices are read again even without an event. */
export const CONFIRMED_DEVICES_RECHECK_MS = 10 * 60_000;

// per pool (tests open many); the copy does not depend on the moment, only on the labels (an event drops it),
// so a sale whose clock was read just before the copy's is served by it
const copies = timedLoadCache(CONFIRMED_DEVICES_RECHECK_MS, readConfirmedDevices, {
  earlierMs: CONFIRMED_DEVICES_RECHECK_MS,
});
const following = new WeakSet<object>();

/**
 * The shop's devices of confirmed fraud as this instance keeps them (see the top of the file); sales arriving
 * together while they are read share the one read.
 */
export function confirmedDevicesNow(
  deps: { sql: Sql; bus: EventBus },
  now = new Date(),
): Promise<ConfirmedDevicesInForce> {
  follow(deps);
  return copies.get(deps.sql, now);
}

function follow(deps: { sql: Sql; bus: EventBus }): void {
  if (following.has(deps.sql)) return;
  following.add(deps.sql);
  deps.bus.subscribe((event) => {
    // a label (set or changed): refunds and cancellations publish the same event without one
    if (event.type === "transaction.updated" && event.data.fraudLabel !== undefined) {
      forgetConfirmedDevices(deps.sql);
    }
  });
}

/** Drops this instance's copy (a label event does it; tests that write labels with SQL call it). */
export function forgetConfirmedDevices(sql: Sql): void {
  copies.forget(sql);
}
