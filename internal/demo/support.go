package demo

import (
	"context"
	"fmt"

	"storekeep/internal/support"
)

// The demo support agent's login, printed at start with the others.
const (
	SupportEmail    = "support@skincare.test"
	SupportPassword = "demo-support-password"
)

// demoFAQ is one FAQ entry of the demo shop, in English and French.
type demoFAQ struct {
	question, answer string
	keywords         []string
	locale           string
}

// faqs are what the support bot answers from in the demo.
var faqs = []demoFAQ{
	{"How long does shipping take?", "We ship within one working day. Delivery takes 2 to 4 working days in France and Germany, 5 to 7 to the United States. Express delivery (next working day) is free over EUR 50.",
		[]string{"shipping", "delivery", "how long", "arrive", "express", "days"}, "en"},
	{"Combien de temps prend la livraison ?", "Nous expédions sous un jour ouvré. La livraison prend 2 à 4 jours ouvrés en France et en Allemagne, 5 à 7 vers les États-Unis. La livraison express (le jour ouvré suivant) est offerte dès 50 EUR.",
		[]string{"livraison", "expédition", "délai", "combien de temps", "express", "jours"}, "fr"},
	{"How do I return a product?", "You can return unopened products within 30 days of delivery. Open a return from your order page; we refund you as soon as the parcel reaches our warehouse.",
		[]string{"return", "refund", "send back", "exchange", "30 days"}, "en"},
	{"Comment retourner un produit ?", "Vous pouvez retourner un produit non ouvert dans les 30 jours suivant la livraison. Ouvrez un retour depuis la page de votre commande : nous vous remboursons dès réception du colis.",
		[]string{"retour", "retourner", "remboursement", "rembourser", "échange", "30 jours"}, "fr"},
	{"Where can I find a product's ingredients?", "Every product page lists the full INCI ingredient list under \"Ingredients\", and the key active ingredients in the description.",
		[]string{"ingredients", "inci", "composition", "allergen", "formula"}, "en"},
	{"Où trouver la liste des ingrédients ?", "Chaque fiche produit donne la liste INCI complète sous « Ingrédients », et les actifs principaux dans la description.",
		[]string{"ingrédients", "inci", "composition", "allergène", "formule"}, "fr"},
	{"Are your products vegan and cruelty-free?", "All our products are cruelty-free and never tested on animals. Most are vegan: look for the vegan tag on the product page (products with beeswax or honey are not).",
		[]string{"vegan", "cruelty-free", "animal", "tested on animals", "beeswax"}, "en"},
	{"Vos produits sont-ils vegan ?", "Tous nos produits sont cruelty-free et jamais testés sur les animaux. La plupart sont vegan : cherchez l'étiquette vegan sur la fiche produit (ceux qui contiennent de la cire d'abeille ou du miel ne le sont pas).",
		[]string{"vegan", "végétalien", "cruelty-free", "animaux", "cire d'abeille"}, "fr"},
	{"Which payment methods do you accept?", "We accept Visa, Mastercard, American Express, Apple Pay and Google Pay. You are charged when your order ships.",
		[]string{"payment", "pay", "card", "apple pay", "google pay", "visa"}, "en"},
	{"Quels moyens de paiement acceptez-vous ?", "Nous acceptons Visa, Mastercard, American Express, Apple Pay et Google Pay. Vous êtes débité à l'expédition de la commande.",
		[]string{"paiement", "payer", "carte", "apple pay", "google pay", "visa"}, "fr"},
	{"Are your products fragrance-free?", "Our sensitive-skin range is fragrance-free, and so is every product tagged fragrance-free. Others use a light fragrance listed in the ingredients.",
		[]string{"fragrance", "perfume", "scent", "fragrance-free", "sensitive"}, "en"},
	{"Vos produits sont-ils sans parfum ?", "Notre gamme peaux sensibles est sans parfum, comme tout produit portant l'étiquette sans parfum. Les autres ont un parfum léger indiqué dans les ingrédients.",
		[]string{"parfum", "sans parfum", "odeur", "senteur", "sensible"}, "fr"},
}

// demoCanned is one canned reply of the demo shop.
type demoCanned struct{ title, body, locale string }

var cannedReplies = []demoCanned{
	{"Greeting", "Hi {{first_name}}, thanks for getting in touch! Let me look into this for you.", "en"},
	{"Order on its way", "Hi {{first_name}}, good news: order {{order_number}} has shipped. You will find the tracking link in your shipping e-mail.", "en"},
	{"Return instructions", "Hi {{first_name}}, you can open a return for order {{order_number}} from your order page; we refund you as soon as the parcel reaches us.", "en"},
	{"Closing", "Is there anything else I can help you with? Have a lovely day!", "en"},
	{"Bonjour", "Bonjour {{first_name}}, merci de nous avoir écrit ! Je regarde cela tout de suite.", "fr"},
	{"Commande expédiée", "Bonjour {{first_name}}, bonne nouvelle : la commande {{order_number}} est partie. Le lien de suivi est dans l'e-mail d'expédition.", "fr"},
}

// loadSupport adds the FAQ and the canned replies.
func loadSupport(ctx context.Context, sup *support.Service) error {
	for _, f := range faqs {
		if _, err := sup.CreateFAQ(ctx, support.FAQInput{Question: &f.question, Answer: &f.answer,
			Keywords: &f.keywords, Locale: &f.locale}); err != nil {
			return fmt.Errorf("faq %q: %w", f.question, err)
		}
	}
	for _, r := range cannedReplies {
		if _, err := sup.CreateCannedReply(ctx, support.CannedReplyInput{Title: &r.title, Body: &r.body,
			Locale: &r.locale}); err != nil {
			return fmt.Errorf("canned reply %q: %w", r.title, err)
		}
	}
	return nil
}
