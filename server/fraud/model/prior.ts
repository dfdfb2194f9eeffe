/**
 * The cold-start prior: a model trained on generated streams of several independent typologies
 * (`deno task fraud-prior` rebuilds it), shipped with the app for shops without labels.
 */
import { assertModelFits, type FraudModel } from "./model.ts";

let cached: FraudModel | undefined;

/** The shipped prior model (read once). */
export async function loadPriorModel(): Promise<FraudModel> {
  if (!cached) {
    const text = await Deno.readTextFile(new URL("./prior_model.json", import.meta.url));
    const model = JSON.parse(text) as FraudModel;
    assertModelFits(model);
    cached = model;
  }
  return cached;
}
