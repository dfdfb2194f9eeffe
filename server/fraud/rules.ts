import { z } from "zod";
import { HIGH_RESALE_CATEGORIES } from "./categories.ts";

const weight = z.number().min(0).max(1);
const minutes = z.number().int().min(1).max(60 * 24 * 31);
const cents = z.number().int().min(0).max(1_000_000_000);
const hour = z.number().int().min(0).max(23);

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** A velocity window: how many attempts, and how much money, one customer may try within it. */
const velocityWindowSchema = z.object({
  minutes,
  /** Fires at this many attempts in the window, counting the one being scored. */
  minCount: z.number().int().min(2).max(1000),
  /** Full strength at this many attempts. */
  countSaturation: z.number().int().min(2).max(10_000),
  /** Fires when attempted spending in the window (including this one) reaches this. */
  minAmountCents: cents,
  amountSaturationCents: cents,
}).refine((w) => w.countSaturation > w.minCount && w.amountSaturationCents > w.minAmountCents, {
  message: "Saturation must be above the firing point",
});

/**
 * Fraud rules as data: weights, firing points and lists, versioned and editable by admins.
 * A rule's weight (0..1) is the probability-like share it adds when it fires at full strength;
 * a weight of 0 turns the rule off.
 */
export const fraudRulesSchema = z.object({
  version: z.number().int().min(1),
  /** IANA zone of the store, for "unusual hour". */
  timeZone: z.string().min(1).max(64).refine(isTimeZone, { message: "Unknown time zone" }),
  /** ISO 4217 code used only to write money in reason messages. */
  currency: z.string().length(3),
  /** How far back the customer's history must reach for the history-based rules. */
  historyDays: z.number().int().min(30).max(730),
  thresholds: z.object({
    review: z.number().min(0).max(100),
    block: z.number().min(0).max(100),
  }).refine((t) => t.review < t.block, { message: "The review threshold must be below the block threshold" }),
  velocityCount: z.object({ weight }),
  velocityAmount: z.object({ weight }),
  velocityWindows: z.array(velocityWindowSchema).min(1).max(6),
  amountAboveHistory: z.object({
    weight,
    /** Completed orders needed before the customer's own history means anything. */
    minHistory: z.number().int().min(2).max(100),
    zThreshold: z.number().min(1).max(50),
    zSaturation: z.number().min(1).max(100),
    /** Orders below this amount never fire, however unusual for the customer. */
    minAmountCents: cents,
    /** Floors on the robust scale so that a customer who always spends the same is not flagged for cents. */
    minScaleCents: cents,
    minScaleRatio: z.number().min(0).max(10),
  }).refine((r) => r.zSaturation > r.zThreshold, { message: "zSaturation must be above zThreshold" }),
  quantityAboveUsual: z.object({
    weight,
    /** Order lines of the product needed before its usual quantity means anything. */
    minSamples: z.number().int().min(1).max(100_000),
    zThreshold: z.number().min(1).max(100),
    zSaturation: z.number().min(1).max(1000),
    minQuantity: z.number().int().min(2).max(100_000),
    /**
     * Does not fire when the customer completed an order with at least this share of the quantity at least
     * `precedentMinAgeDays` ago (a spree from yesterday is not a precedent).
     */
    precedentRatio: z.number().min(0).max(10),
    precedentMinAgeDays: z.number().min(0).max(365),
  }).refine((r) => r.zSaturation > r.zThreshold, { message: "zSaturation must be above zThreshold" }),
  newCustomerHighValue: z.object({
    weight,
    maxAgeDays: z.number().min(0).max(365),
    minAmountCents: cents,
    amountSaturationCents: cents,
  }).refine((r) => r.amountSaturationCents > r.minAmountCents, {
    message: "amountSaturationCents must be above minAmountCents",
  }),
  highResaleUnits: z.object({
    weight,
    categories: z.array(z.string().min(1).max(64)).max(100),
    minUnits: z.number().int().min(1).max(100_000),
    unitsSaturation: z.number().int().min(2).max(100_000),
    precedentRatio: z.number().min(0).max(10),
    precedentMinAgeDays: z.number().min(0).max(365),
  }).refine((r) => r.unitsSaturation > r.minUnits, { message: "unitsSaturation must be above minUnits" }),
  paymentMethods: z.object({
    weight,
    windowMinutes: minutes,
    /** Fires at this many distinct methods in the window, counting the current one. */
    minDistinct: z.number().int().min(2).max(100),
    distinctSaturation: z.number().int().min(3).max(1000),
  }).refine((r) => r.distinctSaturation > r.minDistinct, {
    message: "distinctSaturation must be above minDistinct",
  }),
  newPaymentMethod: z.object({
    weight,
    /** Completed orders a customer needs before a never-seen method is notable. */
    minHistory: z.number().int().min(1).max(100),
    minAmountCents: cents,
  }),
  declinedAttempts: z.object({
    weight,
    windowMinutes: minutes,
    minDeclines: z.number().int().min(1).max(100),
    declinesSaturation: z.number().int().min(2).max(1000),
  }).refine((r) => r.declinesSaturation > r.minDeclines, {
    message: "declinesSaturation must be above minDeclines",
  }),
  unusualHour: z.object({
    weight,
    /** Local hours [startHour, endHour), wrapping past midnight when startHour > endHour. */
    startHour: hour,
    endHour: hour,
    /** Does not fire for a customer with this many completed orders at such hours already (night owls). */
    precedentOrders: z.number().int().min(1).max(1000),
  }),
  /** A transaction of this customer scored at or above the review threshold within the window. */
  recentSuspicion: z.object({ weight, windowMinutes: minutes }),
  blockList: z.object({ weight }),
});

/** Validated fraud rules. */
export type FraudRules = z.infer<typeof fraudRulesSchema>;

/** The rules shipped with the app, tuned on the generated stream in `data/fraud_stream.ts`. */
export const DEFAULT_FRAUD_RULES: FraudRules = {
  version: 1,
  timeZone: "America/New_York",
  currency: "USD",
  historyDays: 180,
  thresholds: { review: 50, block: 85 },
  velocityCount: { weight: 0.6 },
  velocityAmount: { weight: 0.3 },
  velocityWindows: [
    // Scripts fire attempts seconds apart; people retrying a declined card take minutes.
    { minutes: 2, minCount: 3, countSaturation: 5, minAmountCents: 300_000, amountSaturationCents: 800_000 },
    {
      minutes: 10,
      minCount: 4,
      countSaturation: 10,
      minAmountCents: 300_000,
      amountSaturationCents: 800_000,
    },
    {
      minutes: 60,
      minCount: 5,
      countSaturation: 15,
      minAmountCents: 500_000,
      amountSaturationCents: 1_500_000,
    },
    {
      minutes: 1440,
      minCount: 8,
      countSaturation: 25,
      minAmountCents: 800_000,
      amountSaturationCents: 3_000_000,
    },
  ],
  amountAboveHistory: {
    weight: 0.45,
    minHistory: 3,
    zThreshold: 5,
    zSaturation: 15,
    minAmountCents: 30_000,
    minScaleCents: 5_000,
    minScaleRatio: 0.25,
  },
  quantityAboveUsual: {
    weight: 0.4,
    minSamples: 20,
    zThreshold: 4,
    zSaturation: 15,
    minQuantity: 3,
    precedentRatio: 0.5,
    precedentMinAgeDays: 7,
  },
  newCustomerHighValue: {
    weight: 0.6,
    maxAgeDays: 3,
    minAmountCents: 80_000,
    amountSaturationCents: 250_000,
  },
  highResaleUnits: {
    weight: 0.45,
    // from the catalog's names (see categories.ts), so the rules and the shop agree by construction
    categories: [...HIGH_RESALE_CATEGORIES],
    minUnits: 3,
    unitsSaturation: 10,
    precedentRatio: 0.5,
    precedentMinAgeDays: 7,
  },
  paymentMethods: { weight: 0.5, windowMinutes: 60, minDistinct: 3, distinctSaturation: 6 },
  newPaymentMethod: { weight: 0.3, minHistory: 3, minAmountCents: 20_000 },
  declinedAttempts: { weight: 0.55, windowMinutes: 60, minDeclines: 2, declinesSaturation: 5 },
  unusualHour: { weight: 0.15, startHour: 1, endHour: 5, precedentOrders: 2 },
  recentSuspicion: { weight: 0.4, windowMinutes: 24 * 60 },
  blockList: { weight: 1 },
};

/**
 * The shipped rules for a store: the defaults in the store's time zone (`STORE_TZ`), so "unusual hour"
 * means night where the shop is. Used until an admin saves a version of their own.
 * @example defaultFraudRules({ timeZone: config.STORE_TZ })
 */
export function defaultFraudRules(options: { timeZone: string }): FraudRules {
  return structuredClone({ ...DEFAULT_FRAUD_RULES, timeZone: options.timeZone });
}
