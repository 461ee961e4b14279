package code

import "context"

func parseJava(ctx context.Context, src []byte) (*unit, []int, error) { return &unit{}, nil, nil }
