package iac

import (
	"errors"
	"regexp"
	"strconv"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/tryfunc"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"
)

// Evaluation is bounded so that a stranger's module cannot make a review
// slow or large: every value a variable or a local holds, and every value
// a function returns, is at most maxValueSize (else it is unknown), and an
// expression whose references could add up to more than maxExprInput is
// not evaluated at all (a template of ten thousand "${local.big}").
const (
	maxValueSize = 64 << 10
	maxExprInput = 1 << 20
	// maxFormatWidth bounds a width or precision in format's verbs
	// (`format("%0999999999d", 1)` would otherwise allocate a gigabyte).
	maxFormatWidth = 1024
)

// errTooBig is what a bounded function returns for a value over
// maxValueSize: the expression is then unknown, like any other error.
var errTooBig = errors.New("value over the evaluation bound")

// tfFunctions are the Terraform functions evaluation knows: those that
// shape the values checks read (strings, collections, encodings, try),
// each bounded (boundFunc). Functions that only build large values from
// small ones (range, setproduct) are left out: a call to an unknown
// function is an unknown value.
var tfFunctions = func() map[string]function.Function {
	fns := map[string]function.Function{
		"jsonencode": stdlib.JSONEncodeFunc, "jsondecode": stdlib.JSONDecodeFunc,
		"merge": stdlib.MergeFunc, "concat": stdlib.ConcatFunc, "lookup": stdlib.LookupFunc,
		"lower": stdlib.LowerFunc, "upper": stdlib.UpperFunc, "title": stdlib.TitleFunc,
		"trimspace": stdlib.TrimSpaceFunc, "trim": stdlib.TrimFunc, "trimprefix": stdlib.TrimPrefixFunc,
		"trimsuffix": stdlib.TrimSuffixFunc, "substr": stdlib.SubstrFunc, "join": stdlib.JoinFunc,
		"split": stdlib.SplitFunc, "coalesce": stdlib.CoalesceFunc, "coalescelist": stdlib.CoalesceListFunc,
		"compact": stdlib.CompactFunc, "contains": stdlib.ContainsFunc, "distinct": stdlib.DistinctFunc,
		"element": stdlib.ElementFunc, "flatten": stdlib.FlattenFunc, "keys": stdlib.KeysFunc,
		"values": stdlib.ValuesFunc, "length": stdlib.LengthFunc, "min": stdlib.MinFunc, "max": stdlib.MaxFunc,
		"tolist": toType(cty.List(cty.DynamicPseudoType)), "toset": toType(cty.Set(cty.DynamicPseudoType)),
		"tomap": toType(cty.Map(cty.DynamicPseudoType)), "tostring": toType(cty.String),
		"tonumber": toType(cty.Number), "tobool": toType(cty.Bool),
		"zipmap": stdlib.ZipmapFunc, "reverse": stdlib.ReverseListFunc, "sort": stdlib.SortFunc,
		"slice": stdlib.SliceFunc, "index": stdlib.IndexFunc, "abs": stdlib.AbsoluteFunc,
		"parseint": stdlib.ParseIntFunc, "regex": stdlib.RegexFunc, "regexall": stdlib.RegexAllFunc,
		"can": tryfunc.CanFunc, "try": tryfunc.TryFunc, "one": oneFunc,
		"format": boundedFormat(stdlib.FormatFunc), "formatlist": boundedFormat(stdlib.FormatListFunc),
	}
	for name, fn := range fns {
		fns[name] = boundFunc(fn)
	}
	return fns
}()

// toType is Terraform's tolist, toset, tomap, tostring, ...: a conversion.
func toType(ty cty.Type) function.Function {
	return stdlib.MakeToFunc(ty)
}

// oneFunc is Terraform's one(): the only element of a list or set, null
// for an empty one.
var oneFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "list", Type: cty.DynamicPseudoType}},
	Type: func(args []cty.Value) (cty.Type, error) {
		t := args[0].Type()
		switch {
		case t.IsListType() || t.IsSetType():
			return t.ElementType(), nil
		case t.IsTupleType() && len(t.TupleElementTypes()) == 1:
			return t.TupleElementTypes()[0], nil
		case t.IsTupleType() && len(t.TupleElementTypes()) == 0:
			return cty.DynamicPseudoType, nil
		}
		return cty.NilType, errors.New("one() needs a list, set or tuple")
	},
	Impl: func(args []cty.Value, ret cty.Type) (cty.Value, error) {
		v := args[0]
		if !v.IsWhollyKnown() {
			return cty.UnknownVal(ret), nil
		}
		switch v.LengthInt() {
		case 0:
			return cty.NullVal(ret), nil
		case 1:
			return v.AsValueSlice()[0], nil
		}
		return cty.NilVal, errors.New("one() of more than one element")
	},
})

// boundFunc wraps fn so that it refuses arguments, and a result, over
// maxValueSize.
func boundFunc(fn function.Function) function.Function {
	spec := &function.Spec{
		Description: fn.Description(),
		Params:      fn.Params(),
		VarParam:    fn.VarParam(),
		Type: func(args []cty.Value) (cty.Type, error) {
			return fn.ReturnTypeForValues(args)
		},
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			n := 0
			for _, a := range args {
				n += valueSize(a, maxValueSize+1-n)
				if n > maxValueSize {
					return cty.NilVal, errTooBig
				}
			}
			v, err := fn.Call(args)
			if err != nil {
				return cty.NilVal, err
			}
			if valueSize(v, maxValueSize+1) > maxValueSize {
				return cty.NilVal, errTooBig
			}
			return v, nil
		},
	}
	return function.New(spec)
}

// formatWidth finds the widths and precisions of format verbs.
var formatWidth = regexp.MustCompile(`%[-+# 0]*(\d*)(?:\.(\d*))?`)

// boundedFormat refuses a format string with a width or precision over
// maxFormatWidth before formatting.
func boundedFormat(fn function.Function) function.Function {
	return function.New(&function.Spec{
		Params:   fn.Params(),
		VarParam: fn.VarParam(),
		Type:     func(args []cty.Value) (cty.Type, error) { return fn.ReturnTypeForValues(args) },
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			if f := args[0]; f.IsKnown() && !f.IsNull() && f.Type() == cty.String {
				for _, m := range formatWidth.FindAllStringSubmatch(f.AsString(), -1) {
					for _, d := range m[1:] {
						if n, err := strconv.Atoi(d); err == nil && n > maxFormatWidth || len(d) > 6 {
							return cty.NilVal, errTooBig
						}
					}
				}
			}
			return fn.Call(args)
		},
	})
}

// valueSize is about how many bytes v takes: its strings' lengths, and
// 8 per other leaf or element. It stops counting past limit.
func valueSize(v cty.Value, limit int) int {
	n := 0
	var walk func(v cty.Value, depth int)
	walk = func(v cty.Value, depth int) {
		if n > limit {
			return
		}
		if depth > maxValueDepth {
			n = limit + 1
			return
		}
		if !v.IsKnown() || v.IsNull() {
			n += 8
			return
		}
		t := v.Type()
		switch {
		case t == cty.String:
			n += len(v.AsString()) + 8
		case t.IsPrimitiveType():
			n += 8
		case t.IsListType() || t.IsSetType() || t.IsTupleType() || t.IsMapType() || t.IsObjectType():
			n += 8
			for it := v.ElementIterator(); it.Next() && n <= limit; {
				k, e := it.Element()
				if t.IsMapType() || t.IsObjectType() {
					n += len(k.AsString())
				}
				walk(e, depth+1)
			}
		default:
			n += 8
		}
	}
	walk(v, 0)
	return n
}

// maxValueDepth bounds the nesting of a value evaluation keeps.
const maxValueDepth = 32

// exprBounded reports whether evaluating e in ctx stays within
// maxExprInput: the sizes of the values its references name, added up
// (each reference counts its root's whole size).
func exprBounded(ctx *hcl.EvalContext, e hclsyntax.Expression, sizes map[string]int) bool {
	if ctx == nil || len(sizes) == 0 {
		return true
	}
	n := 0
	for _, tr := range e.Variables() {
		key := tr.RootName()
		if len(tr) > 1 {
			if a, ok := tr[1].(hcl.TraverseAttr); ok {
				key += "." + a.Name
			}
		}
		n += sizes[key]
		if n > maxExprInput {
			return false
		}
	}
	return true
}
