// The date's map said in words (GET /api/v1/summary/): who held how much, what changed hands since
// the previous change and near where, how many events; for screen readers (a polite live region)
// and for anyone. Asked for once the date rests.
const SETTLE_MS = 400;

export function createSummary(node, ask) {
  let timer = null;
  let asked = 0;
  return {
    show(day) {
      clearTimeout(timer);
      const number = ++asked;
      timer = setTimeout(async () => {
        try {
          const answer = await ask(day);
          if (number === asked) node.textContent = answer.text;
        } catch (error) {
          if (number === asked) node.textContent = "";
        }
      }, SETTLE_MS);
    },
  };
}
