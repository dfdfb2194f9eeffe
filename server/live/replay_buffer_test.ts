import assert from "node:assert/strict";
import type { AppEvent } from "../events/bus.ts";
import { saleEventData } from "../events/events_fixtures.ts";
import { createReplayBuffer } from "./replay_buffer.ts";

function event(id: number): AppEvent {
  return { id, type: "transaction.created", at: "2025-01-01T00:00:00.000Z", data: saleEventData({ id }) };
}

function ids(events: AppEvent[]): number[] {
  return events.map((e) => e.id);
}

Deno.test("since() returns exactly the events after the last id, oldest first", () => {
  const buffer = createReplayBuffer(10);
  buffer.setFloor(0);
  for (const id of [1, 2, 3, 4, 5]) buffer.add(event(id));
  const replay = buffer.since(2);
  assert.deepEqual(ids(replay.events), [3, 4, 5]);
  assert.equal(replay.complete, true);
  assert.deepEqual(ids(buffer.since(5).events), []);
});

Deno.test("add() puts a late event in id order and ignores a duplicate", () => {
  const buffer = createReplayBuffer(10);
  buffer.setFloor(0);
  for (const id of [1, 3, 2, 3, 4]) buffer.add(event(id));
  assert.deepEqual(ids(buffer.since(0).events), [1, 2, 3, 4]);
  assert.equal(buffer.size(), 4);
  assert.equal(buffer.latestId(), 4);
});

Deno.test("a replay from before the evicted events is reported incomplete", () => {
  const buffer = createReplayBuffer(3);
  buffer.setFloor(0);
  for (const id of [1, 2, 3, 4, 5]) buffer.add(event(id));
  assert.deepEqual(ids(buffer.since(0).events), [3, 4, 5]);
  assert.equal(buffer.since(1).complete, false);
  assert.equal(buffer.since(2).complete, true);
});

Deno.test("a replay from before the instance started listening is reported incomplete", () => {
  const buffer = createReplayBuffer(10);
  buffer.add(event(41));
  assert.equal(buffer.since(40).complete, false, "no floor yet: nothing can be vouched for");
  buffer.setFloor(40);
  assert.equal(buffer.since(39).complete, false);
  assert.equal(buffer.since(40).complete, true);
  assert.deepEqual(ids(buffer.since(40).events), [41]);
});

Deno.test("latestId() is the floor until an event arrives", () => {
  const buffer = createReplayBuffer(2);
  buffer.setFloor(17);
  assert.equal(buffer.latestId(), 17);
  assert.throws(() => createReplayBuffer(0), RangeError);
});
