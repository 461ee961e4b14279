// Generates commonmark-blocks.jsonl: random documents made of block-level
// fragments and, for each, the lines commonmark.js (the CommonMark spec's
// reference implementation, 0.31.2) puts in top-level paragraphs and setext
// headings. Run: npm install commonmark@0.31.2 && node commonmark-blocks.gen.js 2000 > commonmark-blocks.jsonl
const cm = require('commonmark');
const frags = ["```","````","~~~","~~~~","``` go","~~~ yaml","```x`y","``","text","more text","/shiftward rescan","/shiftward rescan","","   ",
 "<!--","<!-- a -->","-->","<div>","</div>","<span>","<pre>","</pre>","<?php","?>","<a href=\"x\">","---","***","===","# h","#",
 ">",">>>","- ","* x","1. x","2) x","-","1.","+ y","\t/shiftward rescan","  ```","   ~~~","    ```","\t```"," \t~~~","- ```","> ```","1.  ```","-\t```","<!-- x","<script>","</script>","<![CDATA[","]]>","<!X","<div","<DIV>","<a b='c' d=e>","</a >","* * *","- - -","10. x","0. x","01. x","1234567890. x","#######","##\tx","````` ","```   ","~~~ ~","``` `","-\tx"," -  x","1)\t\tx","   >\tx",">\t\tx","-     x","*\t","  \t/shiftward rescan"];
const prefixes = ["","","","",""," ","  ","   ","    ","\t","> ","- ","1. ","  - ","> > ","> - ","- > ","     "];
function pick(a){return a[Math.floor(Math.random()*a.length)];}
const n = parseInt(process.argv[2]||"2000");
const out = [];
for (let k=0;k<n;k++){
  const lines=[]; const L=1+Math.floor(Math.random()*16);
  for(let i=0;i<L;i++){ let p=pick(prefixes); if(Math.random()<0.3)p+=pick(prefixes); lines.push(p+pick(frags)); }
  const doc = lines.join("\n")+"\n";
  const tree = new cm.Parser().parse(doc);
  const ref = [];
  for (let c = tree.firstChild; c; c = c.next) {
    if (c.type === 'paragraph' || (c.type === 'heading' && c.sourcepos[1][0] > c.sourcepos[0][0])) {
      let end = c.sourcepos[1][0];
      if (c.type === 'heading') end--; // setext underline
      for (let l=c.sourcepos[0][0]; l<=end; l++) ref.push(l);
    }
  }
  out.push(JSON.stringify({doc, ref}));
}
console.log(out.join("\n"));
