package tui

import (
	"strings"

	"github.com/cprready/cprready/checks"
	"github.com/cprready/cprready/profile"
)

// section is the breadcrumb step the current step belongs to.
func (w *Wizard) section() step {
	switch {
	case w.cur.step == stepWelcome:
		return stepOrg
	case w.cur.step >= stepSystems && w.cur.step <= stepCreds:
		return stepSystems
	}
	return w.cur.step
}

func (w *Wizard) push(next state) {
	w.history = append(w.history, w.cur)
	w.cur = next
}

// advance applies the finished form and moves to the next step.
func (w *Wizard) advance() {
	s := w.cur
	switch s.step {
	case stepWelcome:
		w.push(state{step: stepOrg})
	case stepOrg:
		w.p.Organisation.MitIDErhverv = &w.mitid
		if w.hasSupplier && checks.NormKind(w.p.Organisation.Kind) == checks.KindPublic {
			sup := w.supplier
			w.p.Supplier = &sup
		} else {
			w.p.Supplier = nil
		}
		w.push(state{step: stepEnv})
	case stepEnv:
		w.push(state{step: stepSystems})
	case stepSystems:
		switch w.choice.act {
		case actAdd:
			w.p.ITSystems = append(w.p.ITSystems, profile.ITSystem{OwnerCVR: w.p.Organisation.CVR, Purpose: checks.PurposeGraphQL})
			w.push(state{step: stepSystem, sys: len(w.p.ITSystems) - 1})
		case actEdit:
			w.push(state{step: stepSystem, sys: w.choice.i})
		case actRemove:
			i := w.choice.i
			w.p.ITSystems = append(w.p.ITSystems[:i], w.p.ITSystems[i+1:]...)
		default:
			w.push(state{step: stepContact})
		}
	case stepSystem:
		w.push(state{step: stepIPs, sys: s.sys})
	case stepIPs:
		sys := &w.p.ITSystems[s.sys]
		switch w.choice.act {
		case actAdd:
			sys.IPWhitelist = append(sys.IPWhitelist, profile.IPEntry{Range: profile.NewRange(32)})
			w.push(state{step: stepIP, sys: s.sys, ip: len(sys.IPWhitelist) - 1})
		case actEdit:
			w.push(state{step: stepIP, sys: s.sys, ip: w.choice.i})
		case actRemove:
			j := w.choice.i
			sys.IPWhitelist = append(sys.IPWhitelist[:j], sys.IPWhitelist[j+1:]...)
		default:
			w.push(state{step: stepAccess, sys: s.sys})
		}
	case stepIP:
		e := &w.p.ITSystems[s.sys].IPWhitelist[s.ip]
		// A line prompt keeps what was typed (80.62.117.0/24); the range
		// was read from it already (splitCIDR) and may have been changed.
		e.Address, _, _ = strings.Cut(strings.TrimSpace(e.Address), "/")
		e.Range = profile.RangeOf(orDefault(w.rangeText, "32"))
		if w.normalise {
			if n := normalised(w.p, s.sys, s.ip, w.cfg.Now()); n != "" {
				addr, bits, _ := strings.Cut(n, "/")
				e.Address, e.Range = addr, profile.RangeOf(bits)
			}
		}
		w.back()
	case stepAccess:
		if w.choice.act == actBack {
			// back to the IT-system's own step (what it is for)
			for len(w.history) > 0 && w.cur.step != stepSystem {
				w.back()
			}
			w.form = w.build()
			return
		}
		d := w.dataAccess(s.sys)
		d.Entities, d.Status, d.Expires = w.entities, w.status, profile.NewDate(w.expiresText)
		if w.status != checks.StatusGodkendt {
			// The expiry is asked only for an approved application: a
			// value typed (or refused) before the status changed is not
			// the person's answer.
			d.Expires = w.before.expires
		}
		if len(d.Entities) == 0 && d.Status == "" {
			w.p.ITSystems[s.sys].DataAccess = nil
		}
		w.push(state{step: stepCreds, sys: s.sys})
	case stepCreds:
		w.applyCreds(s.sys)
		// Back to the IT-system list, forgetting this system's sub-steps.
		for len(w.history) > 0 && w.history[len(w.history)-1].step != stepSystems {
			w.history = w.history[:len(w.history)-1]
		}
		if len(w.history) > 0 {
			w.history = w.history[:len(w.history)-1]
		}
		w.push(state{step: stepSystems})
	case stepContact:
		w.push(state{step: stepFollowup})
	case stepFollowup:
		w.p.Followup.ServicedeskTicket = strings.TrimSpace(w.ticket)
		w.push(state{step: stepSummary})
	case stepSummary:
		switch w.choice.act {
		case actSave:
			w.save()
			w.cur = state{step: stepDone}
			return
		case actQuit:
			w.quit = true
			return
		default:
			w.back()
		}
	}
	w.form = w.build()
}

// leaveStep goes back a step without applying the current one (esc, or
// "back" at a line prompt): an address or an IT-system being edited is
// put back as the step found it, and one just added is dropped, not kept
// half-made.
func (w *Wizard) leaveStep() {
	switch s := w.cur; s.step {
	case stepIP:
		list := &w.p.ITSystems[s.sys].IPWhitelist
		if s.ip < len(*list) {
			if strings.TrimSpace(w.before.ip.Address) == "" {
				*list = append((*list)[:s.ip], (*list)[s.ip+1:]...)
			} else {
				(*list)[s.ip] = w.before.ip
			}
		}
	case stepSystem:
		if s.sys < len(w.p.ITSystems) {
			if strings.TrimSpace(w.before.sys.Name) == "" {
				w.p.ITSystems = append(w.p.ITSystems[:s.sys], w.p.ITSystems[s.sys+1:]...)
			} else {
				sys := &w.p.ITSystems[s.sys]
				sys.Name, sys.OwnerCVR, sys.Purpose = w.before.sys.Name, w.before.sys.OwnerCVR, w.before.sys.Purpose
			}
		}
	}
	w.back()
	w.form = w.build()
}

// back returns to the previous step.
func (w *Wizard) back() {
	if len(w.history) == 0 {
		return
	}
	w.cur = w.history[len(w.history)-1]
	w.history = w.history[:len(w.history)-1]
}

func (w *Wizard) dataAccess(i int) *profile.DataAccess {
	s := &w.p.ITSystems[i]
	if s.DataAccess == nil {
		s.DataAccess = &profile.DataAccess{Register: "CPR"}
	}
	return s.DataAccess
}
