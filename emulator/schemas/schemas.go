// Package schemas holds the emulator's CPR GraphQL schemas, modelled on the
// real platform's style (Hot Chocolate, @cost/@listSize, Relay connections,
// Daf* filter inputs) and on the fields platform.md lists.
package schemas

import (
	_ "embed"
	"fmt"
)

var (
	//go:embed common.graphql
	common string
	//go:embed person.graphql
	person string
	//go:embed public.graphql
	public string
	//go:embed private.graphql
	private string
	//go:embed events.graphql
	events string
)

// Services the emulator serves, by the name `schema fetch --service` uses.
var Services = []string{"public", "private", "events"}

// SDL is the schema document the emulator serves for a service.
func SDL(service string) (string, error) {
	switch service {
	case "public":
		return public + "\n" + person + "\n" + common, nil
	case "private":
		return private + "\n" + person + "\n" + common, nil
	case "events":
		return events + "\n" + common, nil
	}
	return "", fmt.Errorf("unknown service %q (public, private or events)", service)
}
