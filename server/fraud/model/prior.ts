/**
 * The cold-start prior: a model trained on generated streams of several independent typologies
 * (`deno task fraud-prior` rebuilds it), shipped with the app for shops without labels.
 */
import { assertModelFits, type FraudModel } from "./model.ts";

let cached: Promise<FraudModel> | undefined;

/** The shipped prior model (read once: concurrent first callers share the read). */
export function loadPriorModel(): Promise<FraudModel> {
  if (!cached) {
    const read = Deno.readTextFile(new URL("./prior_model.json", import.meta.url)).then((text) => {
      const model = JSON.parse(text) as FraudModel;
      assertModelFits(model);
      return model;
    });
    // a failed read is tried again by the next caller
    read.catch(() => cached = undefined);
    cached = read;
  }
  return cached;
}
