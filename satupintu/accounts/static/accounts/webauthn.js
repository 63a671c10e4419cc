/*
 * Security keys (WebAuthn) on "Kunci keamanan" and at the code step. The server sends the
 * options as JSON and checks the answer; this file only hands them to the browser.
 * Buttons: [data-webauthn-register] and [data-webauthn-verify] with data-options and data-submit.
 */
(function () {
  "use strict";

  function csrfToken() {
    var field = document.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  function post(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), "Content-Type": "application/json" },
      body: JSON.stringify(body || {}),
    }).then(function (response) {
      return response.json().then(function (data) {
        if (!response.ok) {
          throw new Error(data.detail || response.statusText);
        }
        return data;
      });
    });
  }

  function say(box, text) {
    if (box) {
      box.textContent = text;
      box.hidden = false;
    }
  }

  function supported() {
    return Boolean(
      window.PublicKeyCredential &&
        PublicKeyCredential.parseCreationOptionsFromJSON &&
        PublicKeyCredential.parseRequestOptionsFromJSON
    );
  }

  function failed(box, button) {
    return function (error) {
      button.disabled = false;
      var text = error && error.name === "NotAllowedError" ? button.dataset.cancelled : error.message;
      say(box, text || button.dataset.cancelled);
    };
  }

  document.addEventListener("DOMContentLoaded", function () {
    var box = document.getElementById("webauthn-status");
    var register = document.querySelector("[data-webauthn-register]");
    var verify = document.querySelector("[data-webauthn-verify]");
    [register, verify].forEach(function (button) {
      if (button && !supported()) {
        button.disabled = true;
        say(box, button.dataset.unsupported);
      }
    });
    if (register) {
      register.addEventListener("click", function () {
        var nameField = document.getElementById("key-name");
        register.disabled = true;
        post(register.dataset.options)
          .then(function (options) {
            return navigator.credentials.create({
              publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(options),
            });
          })
          .then(function (credential) {
            var body = credential.toJSON();
            body.name = nameField ? nameField.value : "";
            return post(register.dataset.submit, body);
          })
          .then(function (data) {
            window.location.assign(data.next);
          })
          .catch(failed(box, register));
      });
    }
    if (verify) {
      verify.addEventListener("click", function () {
        verify.disabled = true;
        post(verify.dataset.options)
          .then(function (options) {
            return navigator.credentials.get({
              publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(options),
            });
          })
          .then(function (credential) {
            return post(verify.dataset.submit, credential.toJSON());
          })
          .then(function (data) {
            window.location.assign(data.next);
          })
          .catch(failed(box, verify));
      });
    }
  });
})();
