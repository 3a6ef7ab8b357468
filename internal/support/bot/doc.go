// Package bot is the support chat's first responder (support.Responder): it
// answers order-status questions from the database, FAQ entries matched with
// BM25 above a threshold, and a short skin quiz with in-stock products, and it
// hands the conversation to a person when asked, when the customer is angry
// or after two turns it could not answer (docs/support-bot.md).
//
// Invariants: order facts are read only through queries that carry the
// owner's credential (customer id, or order number and e-mail for a guest),
// so another customer's order is indistinguishable from a missing one; order
// facts never go through the optional language model; below the FAQ
// threshold the bot does not guess.
package bot
