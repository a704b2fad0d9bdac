package redact

import "reflect"

// Deep is a copy of x with every string in it (struct fields, slices,
// maps, pointers, interfaces; named string types too) replaced by f of
// it, and the types kept. Unexported fields are copied as they are; map
// keys are names and stay. For gating a value's texts before it is
// encoded: the encoder's syntax never passes the gate.
func Deep[T any](x T, f func(string) string) T {
	out := deepValue(reflect.ValueOf(&x).Elem(), f, 0)
	if !out.IsValid() {
		var zero T
		return zero
	}
	return out.Interface().(T)
}

func deepValue(rv reflect.Value, v func(string) string, depth int) reflect.Value {
	if depth > 32 || !rv.IsValid() {
		return reflect.Value{}
	}
	switch rv.Kind() {
	case reflect.String:
		out := reflect.New(rv.Type()).Elem()
		out.SetString(v(rv.String()))
		return out
	case reflect.Interface:
		if rv.IsNil() {
			return rv
		}
		out := reflect.New(rv.Type()).Elem()
		if e := deepValue(rv.Elem(), v, depth+1); e.IsValid() {
			out.Set(e)
		}
		return out
	case reflect.Pointer:
		if rv.IsNil() {
			return rv
		}
		out := reflect.New(rv.Type().Elem())
		if e := deepValue(rv.Elem(), v, depth+1); e.IsValid() {
			out.Elem().Set(e)
		}
		return out
	case reflect.Slice, reflect.Array:
		if rv.Kind() == reflect.Slice && rv.IsNil() {
			return rv
		}
		var out reflect.Value
		if rv.Kind() == reflect.Slice {
			out = reflect.MakeSlice(rv.Type(), rv.Len(), rv.Len())
		} else {
			out = reflect.New(rv.Type()).Elem()
		}
		for i := range rv.Len() {
			if e := deepValue(rv.Index(i), v, depth+1); e.IsValid() {
				out.Index(i).Set(e)
			}
		}
		return out
	case reflect.Map:
		if rv.IsNil() {
			return rv
		}
		out := reflect.MakeMapWithSize(rv.Type(), rv.Len())
		it := rv.MapRange()
		for it.Next() {
			if e := deepValue(it.Value(), v, depth+1); e.IsValid() {
				out.SetMapIndex(it.Key(), e)
			} else {
				out.SetMapIndex(it.Key(), reflect.Zero(rv.Type().Elem()))
			}
		}
		return out
	case reflect.Struct:
		out := reflect.New(rv.Type()).Elem()
		out.Set(rv)
		for i := range rv.NumField() {
			if !out.Field(i).CanSet() {
				continue
			}
			if e := deepValue(rv.Field(i), v, depth+1); e.IsValid() {
				out.Field(i).Set(e)
			}
		}
		return out
	}
	return rv
}
