/**
 * "Device of confirmed fraud": a sale from a device that was used on an earlier sale the shop confirmed as
 * fraud (its label set before this sale, the fraud within `CONFIRMED_DEVICE_WINDOW_MS`) goes to review,
 * whichever model scores it. The "refund and chargeback history of the linked entities": the
 * shop's own outcomes on the device, not a count of accounts.
 *
 * It counts only in a shop where it has held: on the shop's labeled sales it would have fired on (in time
 * order, each against the labels known before it), at least `LINK_PRECISION_AIM` of them were fraud, with 95%
 * confidence (`confirmedDeviceCounts`). Measured on the generators (docs/fraud.md, "Session 15"): a
 * device is a ring's tool in most shops (every later sale on it fraud), and a family's phone in one (fraud a
 * quarter of the time), which the shop's own labels tell apart. Customer, email and card links were measured
 * too and left out: an account taken over is the owner's again afterwards, a company card is shared by
 * colleagues.
 *
 * Pure: the replay feeds it sales in time order, the sale path reads the same two things from SQL
 * (`confirmed_device_queries.ts`).
 */
import { LINK_PRECISION_AIM } from "./combine.ts";
import { DAY_MS } from "./operating_point.ts";
/** How long a confirmed fraud's device stays linked. */
export const CONFIRMED_DEVICE_WINDOW_MS = 180 * DAY_MS;
/** The reason's words on a sale the rule sent to review, naming the confirmed sale when it is known. */
export function confirmedDeviceMessage(orderRef?: string): string {
  return orderRef
    ? `This device was used on ${orderRef}, a sale your team confirmed as fraud`
    : "This device was used on a sale your team confirmed as fraud";
}

/** The latest confirmed fraud on a device: when it was made, and its order reference when known. */
export interface ConfirmedSale {
  atMs: number;
  orderRef?: string;
}

/** How the rule would have done on the shop's labeled sales: those it fired on, and the fraud among them. */
export interface ConfirmedDeviceRecord {
  firings: number;
  fraud: number;
}

/**
 * Whether the rule counts in a shop with this record: its precision there is at least `LINK_PRECISION_AIM`
 * with 95% confidence (the Wilson interval's lower bound), so a few lucky firings are not enough (9 of 9 is
 * the least that counts) and a record right 7 times in 10 is not trusted to stay so.
 */
export function confirmedDeviceCounts(record: ConfirmedDeviceRecord): boolean {
  return wilsonLowerBound(record.fraud, record.firings) >= LINK_PRECISION_AIM;
}

/** The lower bound of the 95% Wilson score interval of a proportion `k / n` (0 when n is 0). */
export function wilsonLowerBound(k: number, n: number, z = 1.96): number {
  if (n <= 0) return 0;
  const p = k / n, z2 = z * z;
  return (p + z2 / (2 * n) - z * Math.sqrt(p * (1 - p) / n + z2 / (4 * n * n))) / (1 + z2 / n);
}

/** Devices of confirmed fraud, each with its latest confirmed sale; only the window's count. */
export class ConfirmedFraudDevices {
  #latest = new Map<string, ConfirmedSale>();

  /** A sale at `saleAtMs` on `device` is confirmed fraud. */
  confirm(device: string, saleAtMs: number, orderRef?: string): void {
    if (saleAtMs > (this.#latest.get(device)?.atMs ?? -Infinity)) {
      this.#latest.set(device, { atMs: saleAtMs, orderRef });
    }
  }

  /** The confirmed fraud a sale at `now` on `device` is linked to (the window before it), if any. */
  linked(device: string | undefined, now: number): ConfirmedSale | undefined {
    if (device === undefined) return undefined;
    const sale = this.#latest.get(device);
    return sale !== undefined && sale.atMs < now && sale.atMs >= now - CONFIRMED_DEVICE_WINDOW_MS
      ? sale
      : undefined;
  }

  /** Whether a sale at `now` on `device` is linked to a confirmed fraud of the window before it. */
  fires(device: string | undefined, now: number): boolean {
    return this.linked(device, now) !== undefined;
  }

  get size(): number {
    return this.#latest.size;
  }
}

/** A replayed sale as the rule reads it: its time, its device, and its label when the shop knows it. */
export interface DeviceLabeledSale {
  atMs: number;
  device?: string;
  /** true: confirmed fraud, false: confirmed legitimate, undefined: no label */
  label?: boolean;
}

/**
 * Replays labeled sales in time order, each label known from its sale's own moment on (an analyst's
 * verdict on a reviewed sale): the devices of confirmed fraud and the rule's record, as the shop would have
 * them after the last sale. Sales of one instant do not see each other's labels.
 */
export function replayConfirmedDevices(
  sales: readonly DeviceLabeledSale[],
): { devices: ConfirmedFraudDevices; record: ConfirmedDeviceRecord } {
  const devices = new ConfirmedFraudDevices();
  const record = { firings: 0, fraud: 0 };
  for (const sale of sales) {
    if (sale.label !== undefined && devices.fires(sale.device, sale.atMs)) {
      record.firings++;
      if (sale.label) record.fraud++;
    }
    if (sale.label && sale.device !== undefined) devices.confirm(sale.device, sale.atMs);
  }
  return { devices, record };
}
