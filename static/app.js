// Progressive enhancement only: every page works without this file.
document.addEventListener('submit', (event) => {
  const form = event.target
  if (!(form instanceof HTMLFormElement)) return
  const question = form.dataset.confirm
  if (question && !window.confirm(question)) event.preventDefault()
})

document.addEventListener('DOMContentLoaded', () => {
  // After a failed submit, take keyboard and screen-reader users straight to the list of errors.
  const summary = document.getElementById('error_summary')
  if (summary) summary.focus()
})
