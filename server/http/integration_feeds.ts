import type { Context, Hono } from "hono";
import type { Services } from "../services.ts";
import { applyOrderEvent, type FeedOutcome } from "../integrations/apply_order.ts";
import {
  findOrderLink,
  type IntegrationKind,
  recordDelivery,
  type SigningIntegration,
  signingIntegrations,
} from "../integrations/integration_queries.ts";
import { parseGenericEvent, parseShopifyOrder, parseShopifyRefund } from "../integrations/order_events.ts";
import { shopifySignature, signatureMatches, techmartSignature } from "../integrations/signatures.ts";

const decoder = new TextDecoder();

/**
 * The live order feeds: Shopify's order and refund webhooks, and our own signed JSON form. They take no
 * session or token: the signature over the raw body, made with the integration's secret, is the proof.
 */
export function mountIntegrationFeeds(app: Hono, services: Services): void {
  app.post("/api/v1/integrations/shopify/orders", (c) =>
    receive(c, services, {
      kind: "shopify",
      signatureHeader: "x-shopify-hmac-sha256",
      sign: shopifySignature,
      topic: (c) => c.req.header("x-shopify-topic") ?? "orders/create",
      async apply(integration, topic, json) {
        if (topic === "refunds/create") {
          const refund = parseShopifyRefund(json);
          if (typeof refund === "string") return reject(refund);
          const link = await findOrderLink(services.db.sql, integration.id, refund.externalId);
          // The refund came before its order: the platform retries on 409, by when the order is here
          if (!link) {
            return { ...reject(`Order ${refund.externalId} has not been received yet`), status: 409 };
          }
          return withId(
            refund.externalId,
            await applyOrderEvent(services, integration, {
              externalId: refund.externalId,
              updatedAt: refund.at,
              createdAt: refund.at,
              customer: null,
              items: [],
              paymentMethod: "card",
              channel: "web",
              state: "refunded",
            }),
          );
        }
        if (!topic.startsWith("orders/")) return reject(`Topic "${topic}" is not an order or refund event`);
        const order = parseShopifyOrder(json);
        if (typeof order === "string") return reject(order);
        return withId(order.externalId, await applyOrderEvent(services, integration, order));
      },
    }));

  app.post("/api/v1/integrations/orders", (c) =>
    receive(c, services, {
      kind: "generic",
      signatureHeader: "x-techmart-signature",
      sign: techmartSignature,
      topic: () => "order",
      async apply(integration, _topic, json) {
        const event = parseGenericEvent(json);
        if (typeof event === "string") return reject(event);
        return withId(event.order.externalId, await applyOrderEvent(services, integration, event.order));
      },
    }));
}

type Applied = FeedOutcome & { externalId?: string };

function reject(message: string): Applied {
  return { outcome: "rejected", message, transactionId: null, status: 422 };
}

function withId(externalId: string, outcome: FeedOutcome): Applied {
  return { ...outcome, externalId };
}

interface Feed {
  kind: IntegrationKind;
  signatureHeader: string;
  sign(secret: string, body: Uint8Array): Promise<string>;
  topic(c: Context): string;
  apply(integration: SigningIntegration, topic: string, json: unknown): Promise<Applied>;
}

async function receive(c: Context, services: Services, feed: Feed): Promise<Response> {
  const body = new Uint8Array(await c.req.arrayBuffer());
  const sent = c.req.header(feed.signatureHeader) ?? "";
  let integration: SigningIntegration | undefined;
  for (const candidate of await signingIntegrations(services.db.sql, feed.kind)) {
    if (sent && await signatureMatches(feed.sign, candidate.secret, body, sent)) {
      integration = candidate;
      break;
    }
  }
  const topic = feed.topic(c);
  if (!integration) {
    await recordDelivery(services.db.sql, {
      integrationId: null,
      topic: `${feed.kind} ${topic}`,
      externalId: null,
      outcome: "unsigned",
      message: sent ? "The signature matches no enabled integration" : `No ${feed.signatureHeader} header`,
      transactionId: null,
    });
    return c.json({
      error: {
        code: "UNAUTHORIZED",
        message: `The ${feed.signatureHeader} signature does not match any enabled ${feed.kind} integration`,
      },
    }, 401);
  }
  let json: unknown;
  try {
    json = JSON.parse(decoder.decode(body));
  } catch {
    json = undefined;
  }
  const applied = json === undefined
    ? reject("The body is not JSON")
    : await feed.apply(integration, topic, json);
  await recordDelivery(services.db.sql, {
    integrationId: integration.id,
    topic,
    externalId: applied.externalId ?? null,
    outcome: applied.outcome,
    message: applied.message,
    transactionId: applied.transactionId,
  });
  if (applied.outcome === "rejected") {
    return c.json({
      error: {
        code: applied.status === 409 ? "CONFLICT" : "UNPROCESSABLE_CONTENT",
        message: applied.message,
      },
    }, applied.status);
  }
  return c.json(
    { outcome: applied.outcome, message: applied.message, transactionId: applied.transactionId },
    applied.status,
  );
}
