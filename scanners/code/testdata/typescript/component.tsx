import React from 'react';
import DOMPurify from 'dompurify';

type Props = { bio: string };

export function Bio(props: Props) {
  // ruleid: xss
  return <div dangerouslySetInnerHTML={{ __html: props.bio }} />;
}

export function SafeBio(props: Props) {
  // ok: xss
  return <div dangerouslySetInnerHTML={{ __html: DOMPurify.sanitize(props.bio) }} />;
}

export function Static() {
  // ok: xss
  return <div dangerouslySetInnerHTML={{ __html: '<b>hi</b>' }} />;
}
