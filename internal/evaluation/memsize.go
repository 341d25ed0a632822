package evaluation

import "reflect"

// memSize estimates the heap bytes held by v and everything it reaches:
// the sizes of the values, slices' backing arrays (by capacity), strings,
// maps (their entries and a share for buckets) and pointed-to values,
// each pointer and backing array counted once. A dashboard is kept as
// values (web/ui/dashboard.go), and in memory a decimal is ~60 bytes where
// its JSON is ~10: the encoded size would understate it several times.
func memSize(v any) int64 {
	rv := reflect.ValueOf(v)
	if !rv.IsValid() {
		return 0
	}
	w := sizeWalker{seen: map[uintptr]bool{}}
	return int64(rv.Type().Size()) + w.beyond(rv)
}

type sizeWalker struct {
	seen map[uintptr]bool
}

// beyond returns the bytes v reaches outside its own storage (which its
// holder has counted).
func (w *sizeWalker) beyond(v reflect.Value) int64 {
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() || w.seen[v.Pointer()] {
			return 0
		}
		w.seen[v.Pointer()] = true
		e := v.Elem()
		return int64(e.Type().Size()) + w.beyond(e)
	case reflect.Slice:
		if v.IsNil() || w.seen[v.Pointer()] {
			return 0
		}
		w.seen[v.Pointer()] = true
		n := int64(v.Cap()) * int64(v.Type().Elem().Size())
		if holdsPointers(v.Type().Elem()) {
			for i := range v.Len() {
				n += w.beyond(v.Index(i))
			}
		}
		return n
	case reflect.String:
		return int64(v.Len())
	case reflect.Map:
		if v.IsNil() || w.seen[v.Pointer()] {
			return 0
		}
		w.seen[v.Pointer()] = true
		t := v.Type()
		// Go's maps hold their slots in groups, typically 7/8 full.
		n := int64(v.Len()) * (int64(t.Key().Size()+t.Elem().Size()) + 8) * 8 / 7
		it := v.MapRange()
		for it.Next() {
			n += w.beyond(it.Key()) + w.beyond(it.Value())
		}
		return n
	case reflect.Struct:
		var n int64
		for i := range v.NumField() {
			n += w.beyond(v.Field(i))
		}
		return n
	case reflect.Array:
		var n int64
		if holdsPointers(v.Type().Elem()) {
			for i := range v.Len() {
				n += w.beyond(v.Index(i))
			}
		}
		return n
	case reflect.Interface:
		if v.IsNil() {
			return 0
		}
		e := v.Elem()
		n := w.beyond(e)
		if e.Kind() != reflect.Pointer && e.Kind() != reflect.Map {
			n += int64(e.Type().Size()) // boxed beside the interface
		}
		return n
	default: // numbers, bools; funcs, channels and unsafe pointers are not walked
		return 0
	}
}

// holdsPointers reports whether values of t can reach memory beyond
// themselves, so that walking a large []float64 costs nothing.
func holdsPointers(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Pointer, reflect.Slice, reflect.String, reflect.Map, reflect.Interface:
		return true
	case reflect.Struct:
		for i := range t.NumField() {
			if holdsPointers(t.Field(i).Type) {
				return true
			}
		}
		return false
	case reflect.Array:
		return holdsPointers(t.Elem())
	default:
		return false
	}
}
