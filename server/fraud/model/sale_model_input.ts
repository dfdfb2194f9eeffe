/**
 * What the model needs for a sale that does not depend on the customer's row lock: the model in force
 * (the shop's active one, else the shipped prior), the entity-link counts, the category norms and the
 * shop's amount quantiles, at cold start the shop's operating point (`operating_point.ts`), and whether the
 * sale's device was on a sale the shop confirmed as fraud (`confirmed_device.ts`, kept in memory). Loaded
 * before the sale's database transaction so the stock lock is not held while they are read.
 */
import type { Sql } from "../../db/mod.ts";
import type { FeatureStats } from "./features.ts";
import type { SaleIdentity } from "./identity.ts";
import type { FraudModel } from "./model.ts";
import type { ModelKind } from "./combine.ts";
import { activeModel } from "./model_queries.ts";
import { loadPriorModel } from "./prior.ts";
import { categoryNorms, loadEntityStats, shopAmountQuantiles } from "./entity_queries.ts";
import type { OperatingPoint } from "./operating_point.ts";
import { followOperatingSettings, operatingPointFor } from "./operating_point_queries.ts";
import type { EventBus } from "../../events/bus.ts";
import { confirmedDevicesNow } from "./confirmed_device_queries.ts";
import type { ConfirmedSale } from "./confirmed_device.ts";
import { deviceKey } from "./identity.ts";

/** The model side of a sale's score. */
export interface SaleModelInput {
  model: FraudModel;
  kind: ModelKind;
  identity: SaleIdentity;
  stats: Omit<FeatureStats, "customerPast" | "customerMedianCents">;
  /** The shop's cold-start operating point (prior only; null: the shared threshold). */
  operatingPoint?: OperatingPoint | null;
  /** The sale the shop confirmed as fraud that this sale's device was on, when that rule counts in the shop. */
  confirmedDevice?: ConfirmedSale;
}

/** @param deps the instance's pool and bus (a changed cold-start ceiling on the bus drops its cached point) */
export async function loadSaleModelInput(
  deps: { sql: Sql; bus: EventBus },
  sale: { customerId: number; identity?: SaleIdentity; now: Date },
): Promise<SaleModelInput> {
  const { sql } = deps;
  followOperatingSettings(deps);
  const identity = sale.identity ?? {};
  const [[active, point], prior, entities, norms, amounts, confirmed] = await Promise.all([
    // the operating point is the prior's only: a shop with its own model never reads it
    activeModel(sql).then(async (active) =>
      [active, active ? null : await operatingPointFor(sql, sale.now)] as const
    ),
    loadPriorModel(),
    loadEntityStats(sql, sale.customerId, identity, sale.now),
    categoryNorms(sql, sale.now),
    shopAmountQuantiles(sql, sale.now),
    confirmedDevicesNow(deps, sale.now),
  ]);
  return {
    model: active ?? prior,
    kind: active ? "shop" : "prior",
    identity,
    stats: { ...entities, categoryNormCents: norms, shopAmountQuantiles: amounts },
    operatingPoint: point,
    confirmedDevice: confirmed.counts
      ? confirmed.devices.linked(deviceKey(identity.deviceId), sale.now.getTime())
      : undefined,
  };
}
