# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'organisation_dialog.ui'
##
## Created by: Qt User Interface Compiler version 6.11.3
##
## WARNING! All changes made in this file will be lost when recompiling UI file!
################################################################################

from PySide6.QtCore import (QCoreApplication, QDate, QDateTime, QLocale,
    QMetaObject, QObject, QPoint, QRect,
    QSize, QTime, QUrl, Qt)
from PySide6.QtGui import (QBrush, QColor, QConicalGradient, QCursor,
    QFont, QFontDatabase, QGradient, QIcon,
    QImage, QKeySequence, QLinearGradient, QPainter,
    QPalette, QPixmap, QRadialGradient, QTransform)
from PySide6.QtWidgets import (QAbstractButton, QApplication, QCheckBox, QComboBox,
    QDialog, QDialogButtonBox, QFormLayout, QLabel,
    QLineEdit, QPlainTextEdit, QSizePolicy, QVBoxLayout,
    QWidget)

class Ui_OrganisationDialog(object):
    def setupUi(self, OrganisationDialog):
        if not OrganisationDialog.objectName():
            OrganisationDialog.setObjectName(u"OrganisationDialog")
        OrganisationDialog.resize(520, 560)
        self.mainLayout = QVBoxLayout(OrganisationDialog)
        self.mainLayout.setObjectName(u"mainLayout")
        self.form = QFormLayout()
        self.form.setObjectName(u"form")
        self.form.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        self.nameLabel = QLabel(OrganisationDialog)
        self.nameLabel.setObjectName(u"nameLabel")

        self.form.setWidget(0, QFormLayout.ItemRole.LabelRole, self.nameLabel)

        self.name = QLineEdit(OrganisationDialog)
        self.name.setObjectName(u"name")
        self.name.setMaxLength(200)

        self.form.setWidget(0, QFormLayout.ItemRole.FieldRole, self.name)

        self.acronymLabel = QLabel(OrganisationDialog)
        self.acronymLabel.setObjectName(u"acronymLabel")

        self.form.setWidget(1, QFormLayout.ItemRole.LabelRole, self.acronymLabel)

        self.acronym = QLineEdit(OrganisationDialog)
        self.acronym.setObjectName(u"acronym")
        self.acronym.setMaxLength(40)

        self.form.setWidget(1, QFormLayout.ItemRole.FieldRole, self.acronym)

        self.kindLabel = QLabel(OrganisationDialog)
        self.kindLabel.setObjectName(u"kindLabel")

        self.form.setWidget(2, QFormLayout.ItemRole.LabelRole, self.kindLabel)

        self.kind = QComboBox(OrganisationDialog)
        self.kind.setObjectName(u"kind")

        self.form.setWidget(2, QFormLayout.ItemRole.FieldRole, self.kind)

        self.addressLabel = QLabel(OrganisationDialog)
        self.addressLabel.setObjectName(u"addressLabel")

        self.form.setWidget(3, QFormLayout.ItemRole.LabelRole, self.addressLabel)

        self.address = QLineEdit(OrganisationDialog)
        self.address.setObjectName(u"address")

        self.form.setWidget(3, QFormLayout.ItemRole.FieldRole, self.address)

        self.postcodeLabel = QLabel(OrganisationDialog)
        self.postcodeLabel.setObjectName(u"postcodeLabel")

        self.form.setWidget(4, QFormLayout.ItemRole.LabelRole, self.postcodeLabel)

        self.postcode = QLineEdit(OrganisationDialog)
        self.postcode.setObjectName(u"postcode")
        self.postcode.setMaxLength(10)

        self.form.setWidget(4, QFormLayout.ItemRole.FieldRole, self.postcode)

        self.cityLabel = QLabel(OrganisationDialog)
        self.cityLabel.setObjectName(u"cityLabel")

        self.form.setWidget(5, QFormLayout.ItemRole.LabelRole, self.cityLabel)

        self.city = QLineEdit(OrganisationDialog)
        self.city.setObjectName(u"city")

        self.form.setWidget(5, QFormLayout.ItemRole.FieldRole, self.city)

        self.emailLabel = QLabel(OrganisationDialog)
        self.emailLabel.setObjectName(u"emailLabel")

        self.form.setWidget(6, QFormLayout.ItemRole.LabelRole, self.emailLabel)

        self.email = QLineEdit(OrganisationDialog)
        self.email.setObjectName(u"email")

        self.form.setWidget(6, QFormLayout.ItemRole.FieldRole, self.email)

        self.phoneLabel = QLabel(OrganisationDialog)
        self.phoneLabel.setObjectName(u"phoneLabel")

        self.form.setWidget(7, QFormLayout.ItemRole.LabelRole, self.phoneLabel)

        self.phone = QLineEdit(OrganisationDialog)
        self.phone.setObjectName(u"phone")

        self.form.setWidget(7, QFormLayout.ItemRole.FieldRole, self.phone)

        self.siretLabel = QLabel(OrganisationDialog)
        self.siretLabel.setObjectName(u"siretLabel")

        self.form.setWidget(8, QFormLayout.ItemRole.LabelRole, self.siretLabel)

        self.siret = QLineEdit(OrganisationDialog)
        self.siret.setObjectName(u"siret")

        self.form.setWidget(8, QFormLayout.ItemRole.FieldRole, self.siret)

        self.notesLabel = QLabel(OrganisationDialog)
        self.notesLabel.setObjectName(u"notesLabel")

        self.form.setWidget(9, QFormLayout.ItemRole.LabelRole, self.notesLabel)

        self.notes = QPlainTextEdit(OrganisationDialog)
        self.notes.setObjectName(u"notes")
        self.notes.setTabChangesFocus(True)

        self.form.setWidget(9, QFormLayout.ItemRole.FieldRole, self.notes)

        self.active = QCheckBox(OrganisationDialog)
        self.active.setObjectName(u"active")
        self.active.setChecked(True)

        self.form.setWidget(10, QFormLayout.ItemRole.FieldRole, self.active)


        self.mainLayout.addLayout(self.form)

        self.errorSummary = QLabel(OrganisationDialog)
        self.errorSummary.setObjectName(u"errorSummary")
        self.errorSummary.setWordWrap(True)

        self.mainLayout.addWidget(self.errorSummary)

        self.buttonBox = QDialogButtonBox(OrganisationDialog)
        self.buttonBox.setObjectName(u"buttonBox")
        self.buttonBox.setStandardButtons(QDialogButtonBox.Cancel|QDialogButtonBox.Ok)

        self.mainLayout.addWidget(self.buttonBox)

#if QT_CONFIG(shortcut)
        self.nameLabel.setBuddy(self.name)
        self.acronymLabel.setBuddy(self.acronym)
        self.kindLabel.setBuddy(self.kind)
        self.addressLabel.setBuddy(self.address)
        self.postcodeLabel.setBuddy(self.postcode)
        self.cityLabel.setBuddy(self.city)
        self.emailLabel.setBuddy(self.email)
        self.phoneLabel.setBuddy(self.phone)
        self.siretLabel.setBuddy(self.siret)
        self.notesLabel.setBuddy(self.notes)
#endif // QT_CONFIG(shortcut)
        QWidget.setTabOrder(self.name, self.acronym)
        QWidget.setTabOrder(self.acronym, self.kind)
        QWidget.setTabOrder(self.kind, self.address)
        QWidget.setTabOrder(self.address, self.postcode)
        QWidget.setTabOrder(self.postcode, self.city)
        QWidget.setTabOrder(self.city, self.email)
        QWidget.setTabOrder(self.email, self.phone)
        QWidget.setTabOrder(self.phone, self.siret)
        QWidget.setTabOrder(self.siret, self.notes)
        QWidget.setTabOrder(self.notes, self.active)

        self.retranslateUi(OrganisationDialog)

        QMetaObject.connectSlotsByName(OrganisationDialog)
    # setupUi

    def retranslateUi(self, OrganisationDialog):
        OrganisationDialog.setWindowTitle(QCoreApplication.translate("OrganisationDialog", u"Organisation", None))
        self.nameLabel.setText(QCoreApplication.translate("OrganisationDialog", u"&Nom *", None))
        self.acronymLabel.setText(QCoreApplication.translate("OrganisationDialog", u"&Sigle", None))
        self.kindLabel.setText(QCoreApplication.translate("OrganisationDialog", u"&Type", None))
        self.addressLabel.setText(QCoreApplication.translate("OrganisationDialog", u"&Adresse", None))
        self.postcodeLabel.setText(QCoreApplication.translate("OrganisationDialog", u"Code &postal", None))
        self.cityLabel.setText(QCoreApplication.translate("OrganisationDialog", u"&Commune", None))
        self.emailLabel.setText(QCoreApplication.translate("OrganisationDialog", u"&Courriel", None))
        self.phoneLabel.setText(QCoreApplication.translate("OrganisationDialog", u"&T\u00e9l\u00e9phone", None))
        self.siretLabel.setText(QCoreApplication.translate("OrganisationDialog", u"S&IRET", None))
        self.siret.setPlaceholderText(QCoreApplication.translate("OrganisationDialog", u"14 chiffres (facultatif)", None))
        self.notesLabel.setText(QCoreApplication.translate("OrganisationDialog", u"N&otes", None))
        self.active.setText(QCoreApplication.translate("OrganisationDialog", u"Organisation active", None))
    # retranslateUi

