package notify

import (
	"net/url"
	"strings"
)

// trackingURLs are the public tracking pages of well-known carriers, by the
// carrier name staff type when they ship (lower case, spaces removed); %s
// is the tracking number.
var trackingURLs = map[string]string{
	"colissimo":  "https://www.laposte.fr/outils/suivre-vos-envois?code=%s",
	"laposte":    "https://www.laposte.fr/outils/suivre-vos-envois?code=%s",
	"chronopost": "https://www.chronopost.fr/tracking-no-cms/suivi-page?listeNumerosLT=%s",
	"ups":        "https://www.ups.com/track?tracknum=%s",
	"dhl":        "https://www.dhl.com/global-en/home/tracking/tracking-express.html?submit=1&tracking-id=%s",
	"fedex":      "https://www.fedex.com/fedextrack/?trknbr=%s",
	"usps":       "https://tools.usps.com/go/TrackConfirmAction?tLabels=%s",
	"royalmail":  "https://www.royalmail.com/track-your-item#/tracking-results/%s",
}

// TrackingURL is the tracking page of a parcel, or "" for a carrier not in
// the list (the e-mail then gives the carrier and number only).
func TrackingURL(carrier, number string) string {
	key := strings.ToLower(strings.Join(strings.Fields(carrier), ""))
	pattern, ok := trackingURLs[key]
	if !ok || strings.TrimSpace(number) == "" {
		return ""
	}
	return strings.Replace(pattern, "%s", url.QueryEscape(strings.TrimSpace(number)), 1)
}
