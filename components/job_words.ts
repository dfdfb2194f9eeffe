/**
 * The background jobs in the words of the people who run the shop: the Jobs page heads each job's panel
 * with its title and says what it does in `what`; the job's own name (`refresh-views`, used by "Run now",
 * the API and the logs) stays beside it in small type, and its description (the API's, written for
 * developers: "materialized views", "RFM") is kept for a job this list does not know yet.
 */
const JOB_WORDS: Record<string, { title: string; what: string }> = {
  "refresh-views": {
    title: "Sales totals",
    what: "Brings the totals on the Dashboard and Analytics up to date with the latest sales",
  },
  "customer-patterns": {
    title: "Customer groups",
    what:
      "Sorts customers into groups (new, loyal, at risk, …) by how recently, how often and how much they buy",
  },
  "inventory-predictions": {
    title: "Sales forecasts",
    what: "Forecasts how many of each product will sell on each of the coming days",
  },
  "reorder-suggestions": {
    title: "Reorder suggestions",
    what: "Works out what to reorder, how much and from which supplier, from the latest forecasts",
  },
  "stock-alerts": {
    title: "Stock alerts",
    what:
      "Raises a low-stock alert for each product that will run short, and clears the ones that no longer will",
  },
  "daily-sales-report": {
    title: "Daily sales report",
    what: "Writes the sales report of each store day once the day has ended",
  },
  "slow-queries": {
    title: "Slow database queries",
    what: "Lists the week's slowest database queries, for whoever looks after the server",
  },
  "fraud-model-training": {
    title: "Fraud model training",
    what:
      "Trains a new fraud model on the sales your team has marked as fraud or genuine; an admin puts it in force",
  },
};

/** A job's title and what it does, in plain words; a job this list does not know keeps its name and description. */
export function jobWords(name: string, description: string): { title: string; what: string } {
  return JOB_WORDS[name] ?? { title: name, what: description };
}
