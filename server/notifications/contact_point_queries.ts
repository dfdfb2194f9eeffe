import { TRPCError } from "@trpc/server";
import type { Sql } from "../db/mod.ts";

export const contactPointKinds = ["webhook", "slack", "email"] as const;
export type ContactPointKind = (typeof contactPointKinds)[number];

export interface ContactPoint {
  id: number;
  name: string;
  kind: ContactPointKind;
  /** webhook and Slack: where to POST (often the secret itself) */
  url: string | null;
  /** webhook: HMAC-SHA256 signing secret */
  secret: string | null;
  /** email: addresses */
  recipients: string[];
  createdBy: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface ContactPointInput {
  name: string;
  kind: ContactPointKind;
  url: string | null;
  secret: string | null;
  recipients: string[];
}

const columns = (sql: Sql) =>
  sql`id::int, name, kind, url, secret, recipients, created_by as "createdBy", created_at as "createdAt",
      updated_at as "updatedAt"`;

export async function listContactPoints(sql: Sql): Promise<ContactPoint[]> {
  return await sql<ContactPoint[]>`select ${columns(sql)} from contact_points order by name`;
}

export async function getContactPoint(sql: Sql, id: number): Promise<ContactPoint> {
  const [row] = await sql<ContactPoint[]>`select ${columns(sql)} from contact_points where id = ${id}`;
  if (!row) throw new TRPCError({ code: "NOT_FOUND", message: `Contact point ${id} does not exist` });
  return row;
}

function duplicateName(error: unknown, name: string): never {
  if ((error as { code?: string }).code === "23505") {
    throw new TRPCError({ code: "CONFLICT", message: `A contact point named "${name}" already exists` });
  }
  throw error;
}

export async function createContactPoint(
  sql: Sql,
  input: ContactPointInput,
  by: string,
): Promise<ContactPoint> {
  const [row] = await sql<ContactPoint[]>`
    insert into contact_points (name, kind, url, secret, recipients, created_by)
    values (${input.name}, ${input.kind}, ${input.url}, ${input.secret}, ${input.recipients}, ${by})
    returning ${columns(sql)}`.catch((error) => duplicateName(error, input.name));
  return row;
}

export async function updateContactPoint(
  sql: Sql,
  id: number,
  input: ContactPointInput,
): Promise<ContactPoint> {
  const [row] = await sql<ContactPoint[]>`
    update contact_points set name = ${input.name}, kind = ${input.kind}, url = ${input.url},
      secret = ${input.secret}, recipients = ${input.recipients}, updated_at = now()
    where id = ${id} returning ${columns(sql)}`.catch((error) => duplicateName(error, input.name));
  if (!row) throw new TRPCError({ code: "NOT_FOUND", message: `Contact point ${id} does not exist` });
  return row;
}

export async function deleteContactPoint(sql: Sql, id: number): Promise<void> {
  const rows = await sql`delete from contact_points where id = ${id} returning id`;
  if (rows.length === 0) {
    throw new TRPCError({ code: "NOT_FOUND", message: `Contact point ${id} does not exist` });
  }
}
