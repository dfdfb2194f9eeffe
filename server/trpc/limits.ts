/** The most calls one tRPC batch (HTTP or a socket message) may carry; more get 400. */
export const maxBatchSize = 50;
