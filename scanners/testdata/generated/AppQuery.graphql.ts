/**
 * @generated SignedSource<<5a8e3f0c0b1d2e3f4a5b6c7d8e9f0a1b>>
 * @lightSyntaxTransform
 * @nogrep
 */

/* tslint:disable */
/* eslint-disable */
// @ts-nocheck

import { ConcreteRequest, Query } from 'relay-runtime';
