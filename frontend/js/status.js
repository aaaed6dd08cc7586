// The map's status line (#status, role=status: screen readers read it out). One message per
// subject, so that the control layer arriving clears its own "could not load" and not the
// "could not open the event" of a shared link that failed just before it.
const messages = new Map();

export function report(message, about = "map") {
  if (message) messages.set(about, message);
  else messages.delete(about);
  const status = document.getElementById("status");
  if (status) status.textContent = [...messages.values()].join(" ");
}
