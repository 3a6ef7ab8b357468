package customers

import "time"

// Profile is a customer account as its owner and staff see it: every field
// but the password hash and the internal search text.
type Profile struct {
	ID               string `json:"id" binding:"required" example:"cus_06h1wbq28dxanf5st2bqp8yfxm"`
	Email            string `json:"email" binding:"required" example:"ada@example.com"`
	FirstName        string `json:"first_name" binding:"required" example:"Ada"`
	LastName         string `json:"last_name" binding:"required" example:"Lovelace"`
	Phone            string `json:"phone" binding:"required" example:"+44 20 7946 0958"`
	AcceptsMarketing bool   `json:"accepts_marketing" binding:"required" example:"false"`
	// Locale is the language e-mails to the customer are written in.
	Locale string `json:"locale" binding:"required" enums:"en,fr" example:"en"`
	// ArchivedAt is set once staff archived the account (it can no longer
	// sign in); always null on the customer's own profile.
	ArchivedAt *time.Time `json:"archived_at" binding:"required" extensions:"x-nullable" format:"date-time" example:"2025-03-01T09:30:00Z"`
	CreatedAt  time.Time  `json:"created_at" binding:"required" format:"date-time" example:"2025-01-31T12:00:00Z"`
	UpdatedAt  time.Time  `json:"updated_at" binding:"required" format:"date-time" example:"2025-01-31T12:00:00Z"`
} // @name CustomerProfile

// Profile returns the customer's public fields.
func (c Customer) Profile() Profile {
	c.normalise()
	return Profile{ID: c.ID, Email: c.Email, FirstName: c.FirstName, LastName: c.LastName, Phone: c.Phone,
		AcceptsMarketing: c.AcceptsMarketing, Locale: c.Locale, ArchivedAt: c.ArchivedAt, CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt}
}
