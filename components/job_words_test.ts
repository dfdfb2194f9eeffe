import assert from "node:assert/strict";
import { domainJobs } from "../server/api/domains.ts";
import { jobWords } from "./job_words.ts";

Deno.test("jobWords() gives every scheduled job a plain title and sentence, without the developers' words", () => {
  for (const job of domainJobs) {
    const words = jobWords(job.name, job.description);
    assert.notEqual(words.title, job.name, `${job.name} has a title in words`);
    assert.doesNotMatch(
      `${words.title} ${words.what}`,
      /materiali[sz]ed|concurrent|RFM|EXPLAIN|cron|recomputes/i,
      job.name,
    );
    for (const other of domainJobs) {
      assert.ok(!words.what.includes(other.name), `${job.name} names ${other.name}`);
    }
    assert.match(words.title, /^[A-Z]/, job.name);
    assert.doesNotMatch(words.what, /\.$/, `${job.name}: the page adds the full stop`);
  }
});

Deno.test("jobWords() keeps the name and description of a job it does not know", () => {
  assert.deepEqual(jobWords("new-job", "Does something new"), {
    title: "new-job",
    what: "Does something new",
  });
});
