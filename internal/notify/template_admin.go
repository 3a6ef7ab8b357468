package notify

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/errs"
	"storekeep/internal/platform/locale"
)

// templateRow is the notification_templates table: a staff override.
type templateRow struct {
	Name      string
	Locale    string
	Subject   string
	BodyText  string
	BodyHTML  *string
	UpdatedBy string
	UpdatedAt time.Time
}

func (templateRow) TableName() string { return "notification_templates" }

// PreviewInput renders a template without sending anything: the saved one
// (or the default), or the draft parts given here; with the sample data of
// the template, or the data given.
type PreviewInput struct {
	// Locale defaults to en.
	Locale string `json:"locale,omitempty" enums:"en,fr" example:"fr"`
	// Data replaces the template's sample variables.
	Data    map[string]any `json:"data,omitempty" text:"free"`
	Subject *string        `json:"subject,omitempty" validate:"omitempty,max=300" maxLength:"300" example:"Votre commande {{.order.number}}"`
	Text    *string        `json:"text,omitempty" text:"free" validate:"omitempty,max=100000" maxLength:"100000"`
	HTML    *string        `json:"html,omitempty" text:"free" validate:"omitempty,max=200000" maxLength:"200000"`
} // @name NotificationPreviewInput

// canEditTemplates: admins and managers.
func canEditTemplates(a auth.Actor) error {
	if !a.HasRole(auth.RoleManager) {
		return errs.ErrForbidden
	}
	return nil
}

// errLocale is the 422 for a locale without templates.
var errLocale = errs.Invalidf("locale", "must be one of %s", strings.Join(locale.Supported, ", "))

// checkName and checkLocale refuse an unknown template (404) or locale (422).
func checkName(name string) error {
	if !KnownTemplate(name) {
		return ErrTemplateNotFound
	}
	return nil
}

func checkLocale(loc string) error {
	if !locale.Valid(loc) {
		return errLocale
	}
	return nil
}

// Templates lists every template in every locale (or in one), saved
// versions in place of the defaults. Admins and managers.
func (s *Service) Templates(ctx context.Context, actor auth.Actor, loc string) ([]Template, error) {
	if err := canEditTemplates(actor); err != nil {
		return nil, err
	}
	locs := locale.Supported
	if loc != "" {
		if err := checkLocale(loc); err != nil {
			return nil, err
		}
		locs = []string{loc}
	}
	var rows []templateRow
	if err := s.db.Conn(ctx).Where("locale IN ?", locs).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("notify: list templates: %w", err)
	}
	saved := map[[2]string]templateRow{}
	for _, r := range rows {
		saved[[2]string{r.Name, r.Locale}] = r
	}
	out := make([]Template, 0, len(TemplateNames)*len(locs))
	for _, name := range TemplateNames {
		for _, l := range locs {
			if r, ok := saved[[2]string{name, l}]; ok {
				out = append(out, r.template())
			} else {
				out = append(out, defaultView(name, l))
			}
		}
	}
	return out, nil
}

// Template returns one template in one locale (default en). Admins and
// managers.
func (s *Service) Template(ctx context.Context, actor auth.Actor, name, loc string) (Template, error) {
	if err := canEditTemplates(actor); err != nil {
		return Template{}, err
	}
	if loc == "" {
		loc = locale.Default
	}
	if err := checkName(name); err != nil {
		return Template{}, err
	}
	if err := checkLocale(loc); err != nil {
		return Template{}, err
	}
	r, ok, err := s.savedTemplate(ctx, name, loc)
	if err != nil || !ok {
		return defaultView(name, loc), err
	}
	return r.template(), nil
}

// PutTemplate saves the shop's version of a template in one locale. It is
// parsed and rendered against the template's sample data first: a part
// that fails is 422 template_invalid naming it, and nothing is saved.
// Admins and managers.
func (s *Service) PutTemplate(ctx context.Context, actor auth.Actor, name string, in TemplateInput) (Template, error) {
	if err := canEditTemplates(actor); err != nil {
		return Template{}, err
	}
	if err := checkName(name); err != nil {
		return Template{}, err
	}
	if err := checkLocale(in.Locale); err != nil {
		return Template{}, err
	}
	p := parts{Subject: strings.TrimSpace(in.Subject), Text: in.Text, HTML: in.HTML}
	if p.HTML != nil && strings.TrimSpace(*p.HTML) == "" {
		p.HTML = nil
	}
	if p.Subject == "" {
		return Template{}, errs.Invalidf("subject", "is required")
	}
	if _, err := render(p, in.Locale, s.withShop(sampleData(name)), true); err != nil {
		return Template{}, err
	}
	r := templateRow{Name: name, Locale: in.Locale, Subject: p.Subject, BodyText: p.Text, BodyHTML: p.HTML,
		UpdatedBy: actor.ID, UpdatedAt: s.clock()}
	err := s.db.Conn(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "name"}, {Name: "locale"}},
		DoUpdates: clause.AssignmentColumns([]string{"subject", "body_text", "body_html", "updated_by", "updated_at"}),
	}).Create(&r).Error
	if err != nil {
		return Template{}, fmt.Errorf("notify: save template: %w", err)
	}
	return r.template(), nil
}

// DeleteTemplate removes the shop's version of a template in one locale
// (default en): the built-in default applies again. Deleting a template
// that was not customized changes nothing. Admins and managers.
func (s *Service) DeleteTemplate(ctx context.Context, actor auth.Actor, name, loc string) error {
	if err := canEditTemplates(actor); err != nil {
		return err
	}
	if loc == "" {
		loc = locale.Default
	}
	if err := checkName(name); err != nil {
		return err
	}
	if err := checkLocale(loc); err != nil {
		return err
	}
	err := s.db.Conn(ctx).Where("name = ? AND locale = ?", name, loc).Delete(&templateRow{}).Error
	if err != nil {
		return fmt.Errorf("notify: delete template: %w", err)
	}
	return nil
}

// Preview renders a template for staff. With the sample data a variable the
// data lacks is an error (as when saving); with the caller's data, missing
// optional fields are empty, as when sending. Failures are 422
// template_invalid naming the part. Admins and managers.
func (s *Service) Preview(ctx context.Context, actor auth.Actor, name string, in PreviewInput) (Rendered, error) {
	if err := canEditTemplates(actor); err != nil {
		return Rendered{}, err
	}
	loc := in.Locale
	if loc == "" {
		loc = locale.Default
	}
	if err := checkName(name); err != nil {
		return Rendered{}, err
	}
	if err := checkLocale(loc); err != nil {
		return Rendered{}, err
	}
	p, err := s.templateParts(ctx, name, loc)
	if err != nil {
		return Rendered{}, err
	}
	if in.Subject != nil {
		p.Subject = *in.Subject
	}
	if in.Text != nil {
		p.Text = *in.Text
	}
	if in.HTML != nil {
		p.HTML = in.HTML
	}
	data, strict := in.Data, false
	if data == nil {
		data, strict = sampleData(name), true
	}
	return render(p, loc, s.withShop(data), strict)
}

// templateParts returns what a message in loc renders: the shop's version
// of the template, else the default, in loc, else in locale.Default.
func (s *Service) templateParts(ctx context.Context, name, loc string) (parts, error) {
	for _, l := range []string{loc, locale.Default} {
		r, ok, err := s.savedTemplate(ctx, name, l)
		if err != nil {
			return parts{}, err
		}
		if ok {
			return parts{Subject: r.Subject, Text: r.BodyText, HTML: r.BodyHTML}, nil
		}
		if locale.Valid(l) {
			return defaultTemplate(name, l), nil
		}
	}
	return defaultTemplate(name, locale.Default), nil
}

func (s *Service) savedTemplate(ctx context.Context, name, loc string) (templateRow, bool, error) {
	var r templateRow
	err := s.db.Conn(ctx).Where("name = ? AND locale = ?", name, loc).Take(&r).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return r, false, nil
	}
	if err != nil {
		return r, false, fmt.Errorf("notify: read template: %w", err)
	}
	return r, true, nil
}

func (r templateRow) template() Template {
	t := r.UpdatedAt.UTC()
	return Template{Name: r.Name, Locale: r.Locale, Subject: r.Subject, Text: r.BodyText, HTML: r.BodyHTML,
		Customized: true, UpdatedAt: &t}
}

func defaultView(name, loc string) Template {
	p := defaultTemplate(name, loc)
	return Template{Name: name, Locale: loc, Subject: p.Subject, Text: p.Text, HTML: p.HTML}
}
